package io.runnel.storage.log;

/** How far a read may go: Kafka's fetch isolation levels that storage serves. */
public enum FetchIsolation {
    /** Up to the log end offset: replicas fetching from the leader. */
    LOG_END,
    /** Up to the high watermark: consumers (read_uncommitted). */
    HIGH_WATERMARK,
    /** Up to the last stable offset: consumers (read_committed). */
    TXN_COMMITTED
}
