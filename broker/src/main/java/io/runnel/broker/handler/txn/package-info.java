/** The client-facing transaction APIs, each answered by the transaction coordinator. */
package io.runnel.broker.handler.txn;
