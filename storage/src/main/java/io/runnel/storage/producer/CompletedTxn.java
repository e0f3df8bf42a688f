package io.runnel.storage.producer;

/**
 * A transaction a marker closed: its producer, the offset of its first batch in this partition, the
 * offset of the marker ({@code lastOffset}), and whether it was aborted. Only transactions with data
 * in this partition complete; a marker for an empty one yields none.
 */
public record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted) {
}
