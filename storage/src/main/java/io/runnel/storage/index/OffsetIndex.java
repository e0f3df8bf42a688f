package io.runnel.storage.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Sparse index from offset to file position of a segment's {@code .index} file (Kafka format).
 * Entries are strictly increasing in both offset and position:
 * <pre>
 *   +---------------------+---------------------+
 *   | relative offset i32 | file position i32   |   8 bytes per entry, big-endian
 *   +---------------------+---------------------+
 * </pre>
 * Relative offset = offset - segment base offset. Lookups return the last entry at or below the
 * target, from which a forward scan of batch headers finds the exact batch.
 * Thread model as in {@link MappedIndex}.
 */
public final class OffsetIndex extends MappedIndex {
    public static final int ENTRY_SIZE = 8;

    public OffsetIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    /** Writer only. Offsets and positions must increase; callers check {@link #isFull()} first. */
    public void append(long offset, int position) {
        write(buffer -> {
            int count = entries();
            if (count > 0) {
                OffsetPosition last = entry(buffer, count - 1);
                if (offset <= last.offset() || position <= last.position()) {
                    throw new IllegalArgumentException("Non-increasing index entry (" + offset + ", " + position
                            + ") after " + last + " in " + file());
                }
            }
            int slot = count * ENTRY_SIZE;
            buffer.putInt(slot, relativeOffset(offset));
            buffer.putInt(slot + 4, position);
            publishEntry();
        });
    }

    /**
     * Writer only: forgets the entries for offsets at or after {@code offset} (the log was cut back
     * to it). Entries before it point before the cut: their appends ended below {@code offset}.
     */
    public void truncateTo(long offset) {
        truncateToEntries(read(buffer -> largestLowerBound(buffer, offset - 1, entries()) + 1));
    }

    /** The last entry with offset &lt;= target, or (baseOffset, 0) if there is none. */
    public OffsetPosition lookup(long targetOffset) {
        return read(buffer -> {
            int slot = largestLowerBound(buffer, targetOffset, entries());
            return slot < 0 ? new OffsetPosition(baseOffset(), 0) : entry(buffer, slot);
        });
    }

    /** The last entry, or (baseOffset, 0) if the index is empty. */
    public OffsetPosition lastEntry() {
        return read(buffer -> {
            int count = entries();
            return count == 0 ? new OffsetPosition(baseOffset(), 0) : entry(buffer, count - 1);
        });
    }

    /**
     * The offset of the first entry whose position is at or after {@code position}, or -1 if there is
     * none: Kafka's {@code fetchUpperBoundOffset}. Entries point at batch starts, so every batch that
     * ends at or before {@code position} holds only offsets below it.
     */
    public long firstOffsetAtOrAfter(int position) {
        return read(buffer -> {
            int low = 0;
            int high = entries() - 1;
            int found = -1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (buffer.getInt(mid * ENTRY_SIZE + 4) >= position) {
                    found = mid;
                    high = mid - 1;
                } else {
                    low = mid + 1;
                }
            }
            return found < 0 ? -1L : keyAt(buffer, found);
        });
    }

    /** True if entries strictly increase and all positions lie within a log of {@code logSize} bytes. */
    public boolean isConsistentWith(int logSize) {
        return read(buffer -> {
            long previousOffset = -1;
            int previousPosition = -1;
            for (int i = 0; i < entries(); i++) {
                OffsetPosition entry = entry(buffer, i);
                if (entry.offset() <= previousOffset || entry.position() <= previousPosition
                        || entry.position() >= logSize) {
                    return false;
                }
                previousOffset = entry.offset();
                previousPosition = entry.position();
            }
            return true;
        });
    }

    private OffsetPosition entry(ByteBuffer buffer, int slot) {
        int at = slot * ENTRY_SIZE;
        return new OffsetPosition(baseOffset() + buffer.getInt(at), buffer.getInt(at + 4));
    }

    @Override
    protected long keyAt(ByteBuffer buffer, int slot) {
        return baseOffset() + buffer.getInt(slot * ENTRY_SIZE);
    }
}
