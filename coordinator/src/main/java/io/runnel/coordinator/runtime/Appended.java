package io.runnel.coordinator.runtime;

/**
 * Where an append ended: the internal topic's partition, the offset after the last record
 * appended, and the leader epoch it was appended at. The records are replicated once the
 * partition's high watermark reaches {@code endOffset} at that same leader epoch.
 */
public record Appended(int partition, long endOffset, int leaderEpoch) { }
