package io.runnel.storage.segment;

/** A run of whole batches inside one segment file: {@code size} bytes starting at {@code position}. */
public record ByteRange(int position, int size) {
}
