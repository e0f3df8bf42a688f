package io.runnel.storage.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.runnel.storage.segment.SegmentWriter;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Opens partition logs directly in a temp dir, with a hand-driven clock and deletions run on demand. */
abstract class LogTestBase {
    static final TopicPartition TP = new TopicPartition("events", 0);
    static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path tempDir;
    final MutableClock clock = new MutableClock(T0);
    final List<DeletionScheduler.ThrowingRunnable> pendingDeletions = new ArrayList<>();
    private final List<PartitionLog> opened = new ArrayList<>();

    Path partitionDir() {
        return tempDir.resolve("events-0");
    }

    PartitionLog open(LogConfig config) throws IOException {
        return open(config, true, 0);
    }

    PartitionLog open(LogConfig config, boolean cleanShutdown, long recoveryPoint) throws IOException {
        return open(config, cleanShutdown, recoveryPoint, SegmentWriter.DIRECT);
    }

    PartitionLog open(LogConfig config, boolean cleanShutdown, long recoveryPoint, SegmentWriter writer)
            throws IOException {
        java.nio.file.Files.createDirectories(partitionDir());
        PartitionLog log = PartitionLog.open(partitionDir(), TP, TOPIC_ID, config, clock,
                (description, deletion, delayMs) -> pendingDeletions.add(deletion), cleanShutdown, recoveryPoint, 0,
                writer);
        opened.add(log);
        return log;
    }

    /** A log of a replicated partition: its high watermark starts at {@code highWatermark} and moves only when told. */
    PartitionLog openReplicated(LogConfig config, boolean cleanShutdown, long recoveryPoint, long highWatermark)
            throws IOException {
        java.nio.file.Files.createDirectories(partitionDir());
        PartitionLog log = PartitionLog.open(partitionDir(), TP, TOPIC_ID, config, clock,
                (description, deletion, delayMs) -> pendingDeletions.add(deletion), cleanShutdown, recoveryPoint, 0,
                SegmentWriter.DIRECT, highWatermark, true);
        opened.add(log);
        return log;
    }

    void runPendingDeletions() throws Exception {
        for (DeletionScheduler.ThrowingRunnable deletion : pendingDeletions) {
            deletion.run();
        }
        pendingDeletions.clear();
    }

    @AfterEach
    void closeLogs() {
        opened.forEach(PartitionLog::close);
    }
}
