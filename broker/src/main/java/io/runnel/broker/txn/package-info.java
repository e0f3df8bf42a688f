/** The transaction coordinator wired into the broker, on {@code __transaction_state}. */
package io.runnel.broker.txn;
