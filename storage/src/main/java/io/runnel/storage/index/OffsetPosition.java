package io.runnel.storage.index;

/** An offset index entry: the batch(es) at or after file {@code position} hold offset {@code offset}. */
public record OffsetPosition(long offset, int position) {
}
