package io.runnel.storage.log;

import java.nio.channels.FileChannel;

/**
 * A contiguous byte range of one segment file holding whole record batches, to be sent with
 * zero copy ({@code channel.transferTo(position, size, socket)}). {@code size == 0} means nothing
 * to send. The channel stays open for at least {@code fileDeleteDelayMs} after its segment is
 * deleted, so a send started before deletion completes. Immutable; any thread.
 */
public record FetchSlice(FileChannel channel, long position, int size) {
    private static final FetchSlice EMPTY = new FetchSlice(null, 0, 0);

    public static FetchSlice empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
