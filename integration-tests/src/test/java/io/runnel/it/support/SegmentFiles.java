package io.runnel.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * Kafka's on-disk log layout ({@code <log.dir>/<topic>-<partition>/<base offset>.log}) as a test sees it,
 * and ways to damage a segment file the way a crash or a bad disk would.
 */
public final class SegmentFiles {

    /** The marker a cleanly shut down broker leaves in its log directory. */
    public static final String CLEAN_SHUTDOWN_MARKER = ".kafka_cleanshutdown";

    private SegmentFiles() {
    }

    /**
     * Where a batch lies in a segment file.
     *
     * @param baseOffset the offset of its first record
     * @param lastOffset the offset of its last record
     * @param position   its byte position in the file
     * @param size       its size in bytes
     */
    public record BatchLocation(long baseOffset, long lastOffset, int position, int size) {
    }

    /** The segment file with the highest base offset of a partition. */
    public static Path lastSegment(Path logDir, String topic, int partition) {
        Path partitionDir = logDir.resolve(topic + "-" + partition);
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparing(file -> file.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("No .log segment in " + partitionDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last batch of a segment file, read with kafka-clients' own file reader. */
    public static BatchLocation lastBatch(Path segment) {
        try (FileRecords records = FileRecords.open(segment.toFile())) {
            BatchLocation last = null;
            for (FileChannelRecordBatch batch : records.batches()) {
                last = new BatchLocation(batch.baseOffset(), batch.lastOffset(), batch.position(), batch.sizeInBytes());
            }
            if (last == null) {
                throw new AssertionError("No batch in " + segment);
            }
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts the last {@code bytes} bytes off a file, like a write torn by a crash. */
    public static void truncateTail(Path file, int bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inverts every bit of the byte at {@code position}, like a bad sector. */
    public static void flipByte(Path file, long position) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            one.put(0, (byte) ~one.get(0));
            channel.write(one, position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the clean-shutdown marker, so the broker must recover the log as after a crash. */
    public static void removeCleanShutdownMarker(Path logDir) {
        Path marker = logDir.resolve(CLEAN_SHUTDOWN_MARKER);
        try {
            if (!Files.deleteIfExists(marker)) {
                throw new AssertionError("A cleanly stopped broker left no " + marker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
