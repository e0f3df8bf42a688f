package io.runnel.storage.log;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.runnel.storage.segment.SegmentWriter;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Writes like {@link SegmentWriter#DIRECT} until told to fail: then the next append writes only a
 * prefix of its bytes through the file's channel and throws, as a write hitting a full disk does.
 */
final class FailingSegmentWriter implements SegmentWriter {
    private volatile int failAfterBytes = -1;
    private volatile boolean closeChannelOnFailure;

    /** The next append writes {@code bytes} bytes and then fails. */
    void failNextAppendAfter(int bytes) {
        failAfterBytes = bytes;
    }

    /** As {@link #failNextAppendAfter}, and the file channel is closed too, so undoing the write fails. */
    void failNextAppendAndBreakFile(int bytes) {
        closeChannelOnFailure = true;
        failAfterBytes = bytes;
    }

    @Override
    public int append(FileRecords file, MemoryRecords records) throws IOException {
        int prefix = failAfterBytes;
        if (prefix < 0) {
            return SegmentWriter.DIRECT.append(file, records);
        }
        failAfterBytes = -1;
        ByteBuffer partial = records.buffer().duplicate();
        partial.limit(partial.position() + prefix);
        while (partial.hasRemaining()) {
            file.channel().write(partial);
        }
        if (closeChannelOnFailure) {
            file.channel().close();
        }
        throw new IOException("No space left on device");
    }
}
