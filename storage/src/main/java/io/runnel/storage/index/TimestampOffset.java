package io.runnel.storage.index;

/** A time index entry: no record before {@code offset} has a timestamp above {@code timestamp}. */
public record TimestampOffset(long timestamp, long offset) {
}
