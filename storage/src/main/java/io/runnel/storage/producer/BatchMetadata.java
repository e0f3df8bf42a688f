package io.runnel.storage.producer;

/** What the log remembers of one recently appended idempotent batch, to answer retries. */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
}
