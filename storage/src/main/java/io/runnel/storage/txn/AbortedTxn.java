package io.runnel.storage.txn;

import java.nio.ByteBuffer;

/**
 * One entry of a segment's transaction index: a transaction that an ABORT marker closed. Immutable;
 * any thread.
 *
 * <p>On disk each entry is {@value #SIZE} bytes, big-endian, Kafka's version 0 layout:
 * <pre>
 *  0       2                10               18               26               34
 *  +-------+----------------+----------------+----------------+----------------+
 *  |version|  producer id   |  first offset  |  last offset   | last stable off|
 *  | int16 |     int64      |     int64      |     int64      |     int64      |
 *  +-------+----------------+----------------+----------------+----------------+
 * </pre>
 * {@code lastOffset} is the marker's offset; {@code lastStableOffset} is the last stable offset as if
 * this transaction were complete (the first offset of the oldest other open transaction, else
 * {@code lastOffset + 1}).
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
    /** Bytes per entry. */
    public static final int SIZE = 34;
    /** The only entry version Kafka writes. */
    public static final short VERSION = 0;

    /** Writes the entry at the buffer's position, advancing it by {@value #SIZE}. */
    public void writeTo(ByteBuffer buffer) {
        buffer.putShort(VERSION);
        buffer.putLong(producerId);
        buffer.putLong(firstOffset);
        buffer.putLong(lastOffset);
        buffer.putLong(lastStableOffset);
    }

    /**
     * Reads an entry at the buffer's position, advancing it by {@value #SIZE}.
     *
     * @throws IllegalStateException if the version is not {@value #VERSION}
     */
    public static AbortedTxn readFrom(ByteBuffer buffer) {
        short version = buffer.getShort();
        if (version != VERSION) {
            throw new IllegalStateException("Unknown aborted transaction entry version " + version);
        }
        return new AbortedTxn(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
