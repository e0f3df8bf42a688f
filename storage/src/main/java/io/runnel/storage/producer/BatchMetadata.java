package io.runnel.storage.producer;

/**
 * What the log remembers of one recently appended idempotent batch, to answer retries and to expire
 * idle producers. {@code timestamp} is when the batch was appended by the broker's clock; for batches
 * replayed from the log on load, where that time is not recorded, it is the batch's max timestamp.
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
}
