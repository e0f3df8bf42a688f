package io.runnel.testkit.check;

/** How a transaction ended, as its producer knows it. */
public enum TransactionOutcome {

    /** {@code commitTransaction()} returned: every record of it must become visible, once. */
    COMMITTED,
    /** {@code abortTransaction()} returned, or the transaction was open when its producer was fenced or replaced. */
    ABORTED,
    /**
     * The commit was asked for but not acknowledged (the broker died or the call timed out): it may be
     * visible or not, but only as a whole.
     */
    UNKNOWN
}
