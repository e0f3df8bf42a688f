package io.runnel.storage.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Sparse index from timestamp to offset of a segment's {@code .timeindex} file (Kafka format).
 * Timestamps strictly increase; each entry says "the largest timestamp seen up to {@code offset}":
 * <pre>
 *   +------------------+---------------------+
 *   | timestamp i64    | relative offset i32 |   12 bytes per entry, big-endian
 *   +------------------+---------------------+
 * </pre>
 * One slot is kept in reserve ({@link #isFull()}) so the segment's final maximum timestamp can
 * always be recorded when it is rolled. Thread model as in {@link MappedIndex}.
 */
public final class TimeIndex extends MappedIndex {
    public static final int ENTRY_SIZE = 12;

    public TimeIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    @Override
    public boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /**
     * Writer only. Appends the entry if its timestamp is above the last one; with
     * {@code useReservedSlot} the reserved last slot may be used (segment becoming inactive).
     */
    public void maybeAppend(long timestamp, long offset, boolean useReservedSlot) {
        write(buffer -> {
            int count = entries();
            boolean hasRoom = useReservedSlot ? count < maxEntries() : !isFull();
            if (!hasRoom || timestamp < 0 || (count > 0 && timestamp <= entry(buffer, count - 1).timestamp())) {
                return;
            }
            int slot = count * ENTRY_SIZE;
            buffer.putLong(slot, timestamp);
            buffer.putInt(slot + 8, relativeOffset(offset));
            publishEntry();
        });
    }

    /** Writer only: forgets the entries whose offset is at or after {@code offset} (the log was cut back to it). */
    public void truncateTo(long offset) {
        truncateToEntries(read(buffer -> {
            int keep = entries();
            while (keep > 0 && entry(buffer, keep - 1).offset() >= offset) {
                keep--;
            }
            return keep;
        }));
    }

    /** The last entry with timestamp &lt;= target, or (-1, baseOffset) if there is none. */
    public TimestampOffset lookup(long targetTimestamp) {
        return read(buffer -> {
            int slot = largestLowerBound(buffer, targetTimestamp, entries());
            return slot < 0 ? new TimestampOffset(-1, baseOffset()) : entry(buffer, slot);
        });
    }

    /** The last entry, or (-1, baseOffset) if the index is empty. */
    public TimestampOffset lastEntry() {
        return read(buffer -> {
            int count = entries();
            return count == 0 ? new TimestampOffset(-1, baseOffset()) : entry(buffer, count - 1);
        });
    }

    /** True if timestamps strictly increase and offsets never decrease. */
    public boolean isConsistent() {
        return read(buffer -> {
            long previousTimestamp = -1;
            long previousOffset = baseOffset();
            for (int i = 0; i < entries(); i++) {
                TimestampOffset entry = entry(buffer, i);
                if (entry.timestamp() <= previousTimestamp || entry.offset() < previousOffset) {
                    return false;
                }
                previousTimestamp = entry.timestamp();
                previousOffset = entry.offset();
            }
            return true;
        });
    }

    private TimestampOffset entry(ByteBuffer buffer, int slot) {
        int at = slot * ENTRY_SIZE;
        return new TimestampOffset(buffer.getLong(at), baseOffset() + buffer.getInt(at + 8));
    }

    @Override
    protected long keyAt(ByteBuffer buffer, int slot) {
        return buffer.getLong(slot * ENTRY_SIZE);
    }
}
