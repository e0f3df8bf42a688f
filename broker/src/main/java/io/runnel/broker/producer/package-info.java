/** Producer ids for idempotent producers. */
package io.runnel.broker.producer;
