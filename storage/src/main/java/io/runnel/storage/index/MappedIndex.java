package io.runnel.storage.index;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A memory-mapped file of fixed-size entries sorted by key, shared by the offset and time indexes.
 * New files are preallocated to the maximum index size so appends never grow the file;
 * {@link #trimToValidSize()} shrinks the file to its entries when the segment stops being active,
 * and {@link #resize(int)} grows it again when a trimmed index becomes active after a restart.
 *
 * <p>Threading: one writer (the log's append path) and any number of concurrent readers. Readers
 * see entries published through the volatile {@code entries} count; because the file is only ever
 * shrunk down to the published entries, a reader holding an older mapping never reads past the end.
 */
public abstract sealed class MappedIndex permits OffsetIndex, TimeIndex {
    private final int entrySize;
    private final long baseOffset;
    private volatile Path file;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;

    MappedIndex(Path file, long baseOffset, int maxIndexSize, int entrySize) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        // an existing file keeps its length (trimmed to its entries); only new files are preallocated
        boolean existed = Files.exists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (!existed) {
                raf.setLength(roundDown(maxIndexSize));
            }
            long length = raf.length();
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.entries = existed ? (int) (length / entrySize) : 0;
        }
    }

    public long baseOffset() {
        return baseOffset;
    }

    public Path file() {
        return file;
    }

    public int entries() {
        return entries;
    }

    public int maxEntries() {
        return mmap.capacity() / entrySize;
    }

    public boolean isFull() {
        return entries >= maxEntries();
    }

    /** Offset relative to the segment base, as stored in 4 bytes. */
    protected int relativeOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " out of range for index with base " + baseOffset);
        }
        return (int) relative;
    }

    protected MappedByteBuffer buffer() {
        return mmap;
    }

    protected int entrySize() {
        return entrySize;
    }

    /** Writer only: makes one more entry, already written at slot {@code entries}, visible to readers. */
    protected void publishEntry() {
        entries = entries + 1;
    }

    /** Drops all entries; the file keeps its size so it can be refilled (used when rebuilding). */
    public void reset(int maxIndexSize) throws IOException {
        entries = 0;
        resize(maxIndexSize);
    }

    /** Grows or shrinks the file to hold up to {@code maxIndexSize} bytes (never below the current entries). */
    public void resize(int maxIndexSize) throws IOException {
        long length = Math.max(roundDown(maxIndexSize), (long) entries * entrySize);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
    }

    /** Shrinks the file to exactly its entries; afterwards the index is full. */
    public void trimToValidSize() throws IOException {
        resize(entries * entrySize);
    }

    public void flush() {
        mmap.force();
    }

    public void renameTo(Path target) throws IOException {
        Files.move(file, target);
        file = target;
    }

    public void deleteIfExists() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * Index of the last slot whose key is &lt;= target, or -1 if none, by binary search over the
     * first {@code count} slots.
     */
    protected int largestLowerBound(long target, int count) {
        int low = 0;
        int high = count - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (keyAt(mid) <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** The sort key of slot {@code slot}: absolute offset or timestamp. */
    protected abstract long keyAt(int slot);

    private long roundDown(long size) {
        return Math.max(0, size - size % entrySize);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + file + ", entries=" + entries + ")";
    }
}
