package io.runnel.testkit.check;

/**
 * What {@link HistoryChecker} looks for: the anomalies of Jepsen's Kafka workload ({@code jepsen.tests.kafka}),
 * under its names where it has one. Every one is a failure; a correct system shows none.
 */
public enum Anomaly {

    /** An acknowledged write that is not in the log at the end (the final read). */
    LOST_WRITE("lost-write"),
    /** An acknowledged write still in the log at the end that no consumer of the group ever polled. */
    UNSEEN("unseen"),
    /** One value read at two or more offsets. */
    DUPLICATE("duplicate"),
    /** One offset of a partition with two or more values, across acknowledgements, polls and the final read. */
    INCONSISTENT_OFFSETS("inconsistent-offsets"),
    /** A write acknowledged at one offset but read at another (or in another partition). */
    ACKNOWLEDGED_OFFSET_MISMATCH("ack-offset-mismatch"),
    /** A consumer that, within one continuous assignment of a partition, read an offset at or before one it had read. */
    NONMONOTONIC_POLL("nonmonotonic-poll"),
    /** A consumer that, within one continuous assignment of a partition, jumped over offsets known to hold values. */
    POLL_SKIP("poll-skip"),
    /** A producer whose acknowledged offsets in one partition do not increase in the order it sent them. */
    NONMONOTONIC_SEND("nonmonotonic-send"),
    /** A value read although its send certainly failed. */
    ABORTED_READ("aborted-read"),
    /** A value read that no producer ever sent. */
    PHANTOM_READ("phantom-read");

    private final String jepsenName;

    Anomaly(String jepsenName) {
        this.jepsenName = jepsenName;
    }

    /** The anomaly's name in Jepsen's reports (or one in its style where Jepsen has none). */
    public String jepsenName() {
        return jepsenName;
    }
}
