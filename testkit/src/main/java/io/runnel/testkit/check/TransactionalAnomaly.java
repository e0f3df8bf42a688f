package io.runnel.testkit.check;

/**
 * What {@link TransactionalHistoryChecker} looks for in what a read_committed reader saw. Every one is a
 * failure; a correct broker shows none.
 */
public enum TransactionalAnomaly {

    /** A record of an aborted transaction that a read_committed reader saw. */
    ABORTED_READ,
    /** A record of an acknowledged commit that a read_committed reader never saw. */
    LOST_COMMIT,
    /** A record seen more than once. */
    DUPLICATE,
    /** A record seen that no transaction sent to that partition. */
    PHANTOM_READ,
    /** Two records of one producer in one partition seen in the opposite order to the one it sent them in. */
    NONMONOTONIC_READ,
    /** A transaction of which some records were seen and others not (on the same or on another partition). */
    PARTIAL_TRANSACTION
}
