package io.runnel.storage.segment;

import java.io.IOException;

import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * How a segment writes batches to the end of its {@code .log} file and syncs it. It exists so tests
 * can make a write fail half-way (as a full disk does) or hold an fsync, without a real disk doing
 * so; production code always uses {@link #DIRECT}. Implementations must be stateless or thread-safe: one writer is shared by every
 * segment of a log.
 */
@FunctionalInterface
public interface SegmentWriter {
    /** Writes through {@link FileRecords#append}. */
    SegmentWriter DIRECT = FileRecords::append;

    /**
     * Appends {@code records} at the end of {@code file}. On an {@link IOException} any prefix of the
     * bytes may have reached the file; the caller undoes that.
     */
    int append(FileRecords file, MemoryRecords records) throws IOException;

    /** Forces the bytes of {@code file} to disk. */
    default void flush(FileRecords file) throws IOException {
        file.flush();
    }
}
