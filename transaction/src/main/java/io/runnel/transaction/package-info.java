/**
 * The transaction coordinator (Kafka's {@code TransactionCoordinator} and
 * {@code TransactionStateManager}) as a single-threaded state machine with no threads and no I/O.
 *
 * <p>{@link io.runnel.transaction.TransactionCoordinator} takes requests and the current time and
 * returns {@link io.runnel.transaction.CoordinatorResult}s: records for {@code __transaction_state}
 * and the answer to give once they are written. The runtime that owns the coordinator's thread
 * appends the records, waits for replication, and completes the result on that thread; it also
 * sends the {@link io.runnel.transaction.TxnMarkers} a completed EndTxn hands out, reports each
 * written marker back, and calls the timers. Loading a partition replays its log through the same
 * state the operations build, so a new leader continues where the old one stopped.
 */
package io.runnel.transaction;
