package io.runnel.storage.epoch;

/** Leader epoch {@code epoch} began at log offset {@code startOffset}. */
public record EpochEntry(int epoch, long startOffset) {
}
