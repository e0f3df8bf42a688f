package io.runnel.storage.index;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A memory-mapped file of fixed-size entries sorted by key, shared by the offset and time indexes.
 * New files are preallocated to the maximum index size so appends never grow the file;
 * {@link #trimToValidSize()} shrinks the file to its entries when the segment stops being active,
 * and {@link #resize(int)} grows it again when a trimmed index becomes active after a restart.
 *
 * <p>Mappings are released explicitly ({@link MappedBuffers#unmap}) when a resize replaces them,
 * on {@link #close()} and before the file is deleted, rather than whenever the garbage collector
 * gets to them: each index maps up to {@code segment.index.bytes}, and stale mappings of trimmed
 * or deleted files would otherwise pile up towards {@code vm.max_map_count}.
 *
 * <p>Threading: one writer (the log's append path) and any number of concurrent readers. Reading an
 * unmapped buffer crashes the JVM, so the mapping lives behind a read-write lock: every access to
 * the buffer, reads and the writer's entry appends alike, holds the read lock (see {@link #read} and
 * {@link #write}), and only replacing or unmapping the mapping takes the write lock. Readers thus
 * never block each other or appends, and wait only while a resize or close runs, which happens
 * on roll, restart and deletion. (Keeping old mappings alive until no reader could hold them would
 * avoid even that wait, but needs reference counting on every lookup for no measurable gain.) New
 * entries are published to readers through the volatile {@code entries} count, read under the lock
 * so it always fits the mapping it is used with. After {@link #close()} the index reads as empty,
 * which is still a correct (if useless) answer for a sparse index.
 */
public abstract sealed class MappedIndex permits OffsetIndex, TimeIndex {
    private static final ByteBuffer UNMAPPED = ByteBuffer.allocate(0);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final int entrySize;
    private final long baseOffset;
    private volatile Path file;
    private ByteBuffer mmap; // guarded by lock: replaced under the write lock, used under the read lock
    private volatile int maxEntries;
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
            setMapping(raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length));
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
        return maxEntries;
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

    /**
     * Runs {@code reader} with the mapping, under the read lock so it cannot be unmapped meanwhile.
     * Read {@link #entries()} inside {@code reader}, so the count fits the mapping; {@code reader}
     * must not keep the buffer.
     */
    protected final <T> T read(Function<ByteBuffer, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(mmap);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Writer only: runs {@code writer} with the mapping, which stays mapped meanwhile. */
    protected final void write(Consumer<ByteBuffer> writer) {
        lock.readLock().lock();
        try {
            writer.accept(mmap);
        } finally {
            lock.readLock().unlock();
        }
    }

    protected int entrySize() {
        return entrySize;
    }

    /** Writer only: makes one more entry, already written at slot {@code entries}, visible to readers. */
    protected void publishEntry() {
        entries = entries + 1;
    }

    /**
     * Writer only: forgets the entries from slot {@code count} on (undoing appends whose batch was
     * taken out of the log again). Does nothing if there are no more than {@code count} entries.
     */
    public void truncateToEntries(int count) {
        if (count >= 0 && count < entries) {
            entries = count;
        }
    }

    /** Drops all entries; the file keeps its size so it can be refilled (used when rebuilding). */
    public void reset(int maxIndexSize) throws IOException {
        lock.writeLock().lock();
        try {
            entries = 0;
            resize(maxIndexSize);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Grows or shrinks the file to hold up to {@code maxIndexSize} bytes (never below the current entries). */
    public void resize(int maxIndexSize) throws IOException {
        lock.writeLock().lock();
        try {
            long length = Math.max(roundDown(maxIndexSize), (long) entries * entrySize);
            ByteBuffer old = mmap;
            // the new mapping is made before the old one goes, so a failure leaves a usable index
            // (this order relies on POSIX letting a mapped file change length, which Windows does not).
            // The file must never be shorter than the mapping in use, or touching the part past its end
            // faults (SIGBUS): when growing, the file grows before it is mapped; when shrinking, the
            // smaller mapping replaces the old one before the file is cut, so a failed map() leaves both
            // as they were.
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                if (length >= raf.length()) {
                    raf.setLength(length);
                    setMapping(raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length));
                    MappedBuffers.unmap(old);
                } else {
                    setMapping(raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length));
                    MappedBuffers.unmap(old);
                    raf.setLength(length);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Shrinks the file to exactly its entries; afterwards the index is full. */
    public void trimToValidSize() throws IOException {
        resize(entries * entrySize);
    }

    public void flush() {
        read(buffer -> {
            if (buffer instanceof MappedByteBuffer mapped) {
                mapped.force();
            }
            return null;
        });
    }

    /**
     * Renames the file, replacing one of that name: a segment's files renamed {@code .deleted} can meet
     * those of an earlier segment with the same base offset (replaced by cleaning) still waiting for
     * their delayed deletion, as {@code FileRecords.renameTo} replaces the log file.
     */
    public void renameTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        file = target;
    }

    /**
     * Unmaps the file without flushing or trimming it; afterwards the index reads as empty and
     * accepts no entries. Idempotent.
     */
    public void close() {
        lock.writeLock().lock();
        try {
            ByteBuffer old = mmap;
            entries = 0;
            setMapping(UNMAPPED);
            MappedBuffers.unmap(old);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Closes the index (a mapping of a deleted file would live on until unmapped) and deletes its file. */
    public void deleteIfExists() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    /**
     * Index of the last slot whose key is &lt;= target, or -1 if none, by binary search over the
     * first {@code count} slots of {@code buffer}. Call within {@link #read}.
     */
    protected int largestLowerBound(ByteBuffer buffer, long target, int count) {
        int low = 0;
        int high = count - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (keyAt(buffer, mid) <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** The sort key of slot {@code slot}: absolute offset or timestamp. Call within {@link #read}. */
    protected abstract long keyAt(ByteBuffer buffer, int slot);

    private void setMapping(ByteBuffer mapping) {
        mmap = mapping;
        maxEntries = mapping.capacity() / entrySize;
    }

    private long roundDown(long size) {
        return Math.max(0, size - size % entrySize);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + file + ", entries=" + entries + ")";
    }
}
