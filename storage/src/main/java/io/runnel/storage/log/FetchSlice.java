package io.runnel.storage.log;

import java.nio.channels.FileChannel;

/**
 * A contiguous byte range of one segment file holding whole record batches, to be sent with
 * zero copy ({@code channel.transferTo(position, size, socket)}). {@code size == 0} means nothing
 * to send. The channel stays open for at least {@code fileDeleteDelayMs} after its segment is
 * deleted, so a send started before deletion completes. Immutable; any thread.
 *
 * @param upperBoundOffset for a {@link FetchIsolation#TXN_COMMITTED} read with data, an offset above every
 *     offset of the slice, as Kafka's {@code fetchUpperBoundOffset} finds it (the first offset index entry
 *     past the slice, else the next segment's base or the log end): the upper bound of the search for the
 *     aborted transactions the slice overlaps. -1 for other reads and for an empty slice.
 */
public record FetchSlice(FileChannel channel, long position, int size, long upperBoundOffset) {
    private static final FetchSlice EMPTY = new FetchSlice(null, 0, 0, -1);

    public static FetchSlice empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
