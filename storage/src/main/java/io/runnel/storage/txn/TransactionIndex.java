package io.runnel.storage.txn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A segment's {@code .txnindex}: the transactions aborted by markers in that segment, in increasing
 * {@link AbortedTxn#lastOffset()}, in Kafka's layout (see {@link AbortedTxn}). The file is created on
 * the first entry and is absent while the segment has none. Entries are kept in memory once read
 * (they are few).
 *
 * <p>Not thread-safe for writes: the partition's writer appends, truncates, renames and deletes
 * (holding the log's writer lock). {@link #collect} reads a copy-on-write snapshot and may run on any
 * thread.
 */
public final class TransactionIndex {
    private final long baseOffset;
    private volatile Path file;
    private volatile List<AbortedTxn> entries;
    private FileChannel channel;

    /** Opens the index at {@code file}, reading its entries if it exists (a torn last entry is dropped). */
    public TransactionIndex(long baseOffset, Path file) throws IOException {
        this.baseOffset = baseOffset;
        this.file = file;
        this.entries = Files.exists(file) ? read(file) : List.of();
    }

    private static List<AbortedTxn> read(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
        List<AbortedTxn> read = new ArrayList<>(buffer.remaining() / AbortedTxn.SIZE);
        while (buffer.remaining() >= AbortedTxn.SIZE) {
            read.add(AbortedTxn.readFrom(buffer));
        }
        return List.copyOf(read);
    }

    public Path file() {
        return file;
    }

    public List<AbortedTxn> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Writer only. Appends an entry, creating the file if needed.
     *
     * @throws IllegalArgumentException if its last offset is not above the previous entry's
     */
    public void append(AbortedTxn txn) throws IOException {
        List<AbortedTxn> current = entries;
        if (!current.isEmpty() && txn.lastOffset() <= current.get(current.size() - 1).lastOffset()) {
            throw new IllegalArgumentException("Last offset of aborted transactions must increase: " + txn
                    + " after " + current.get(current.size() - 1) + " in " + file);
        }
        ByteBuffer buffer = ByteBuffer.allocate(AbortedTxn.SIZE);
        txn.writeTo(buffer);
        buffer.flip();
        FileChannel out = channel();
        while (buffer.hasRemaining()) {
            out.write(buffer, out.size());
        }
        List<AbortedTxn> next = new ArrayList<>(current.size() + 1);
        next.addAll(current);
        next.add(txn);
        entries = List.copyOf(next);
    }

    /**
     * Adds to {@code out} the entries with {@code lastOffset >= fetchOffset} and
     * {@code firstOffset < upperBound}, in order, as Kafka's search does. Any thread.
     *
     * @return true if an entry's last stable offset reaches {@code upperBound}: no later segment can
     *     hold a transaction the read overlaps, and the search is complete
     */
    public boolean collect(long fetchOffset, long upperBound, List<AbortedTxn> out) {
        for (AbortedTxn txn : entries) {
            if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBound) {
                out.add(txn);
            }
            if (txn.lastStableOffset() >= upperBound) {
                return true;
            }
        }
        return false;
    }

    /** Writer only. Drops the entries whose marker is at or above {@code offset}. */
    public void truncateTo(long offset) throws IOException {
        List<AbortedTxn> current = entries;
        int keep = 0;
        while (keep < current.size() && current.get(keep).lastOffset() < offset) {
            keep++;
        }
        if (keep == current.size()) {
            return;
        }
        entries = List.copyOf(current.subList(0, keep));
        if (Files.exists(file)) {
            channel().truncate((long) keep * AbortedTxn.SIZE);
        }
    }

    /** True if no entry's marker lies below the segment's base offset (else the index must be rebuilt). */
    public boolean isConsistent() {
        for (AbortedTxn txn : entries) {
            if (txn.lastOffset() < baseOffset) {
                return false;
            }
        }
        return true;
    }

    /** Writer only. Forgets every entry and deletes the file, for recovery to rebuild it. */
    public void reset() throws IOException {
        entries = List.of();
        deleteIfExists();
    }

    public void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    /** Writer only. Renames the file if it exists; later appends go to the new name. */
    public void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
        file = target;
    }

    /** Closes the file and deletes it if it exists. */
    public void deleteIfExists() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }
}
