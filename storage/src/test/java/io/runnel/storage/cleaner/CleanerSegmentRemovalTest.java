package io.runnel.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.runnel.storage.log.CompactionConfig;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.segment.LogSegment;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retention or DeleteRecords removing a segment (and closing its file) while the cleaner reads it
 * aborts that cleaning, to be retried, instead of failing it (which would leave the log uncleaned
 * until restart).
 */
class CleanerSegmentRemovalTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final TopicPartition TP = new TopicPartition("events", 0);
    // the delayed deletion of removed segments is run by the test itself, at the point it chooses
    private static final LogConfig CONFIG = LogConfig.defaults().withSegmentBytes(2048).withIndexIntervalBytes(128)
            .withRetentionMs(-1).withFileDeleteDelayMs(3_600_000)
            .withCompaction(CompactionConfig.NOT_COMPACTED.compacted().withMinCleanableRatio(0.01));

    @TempDir
    Path dir;
    private LogManager logManager;

    @ParameterizedTest(name = "removed while {0}")
    @ValueSource(strings = {"mapping", "copying"})
    void shouldAbortRatherThanFailWhenASegmentBeingReadIsRemoved(String phase) throws Exception {
        logManager = LogManager.open(List.of(dir), Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        PartitionLog log = logManager.getOrCreateLog(TP, Uuid.randomUuid(), CONFIG);
        for (int i = 0; i < 200; i++) {
            log.appendAsLeader(keyed("k" + i % 10, "v" + i), 0);
        }
        List<LogSegment> segments = log.segmentsSnapshot();
        // one check per batch (one record each) of the inactive segments while mapping, then one per read while copying
        long batchesMapped = segments.get(segments.size() - 1).baseOffset();
        long removeAtCheck = phase.equals("mapping") ? 1 : batchesMapped + 1;
        long[] checks = {0};
        Cleaner cleaner = new Cleaner(new OffsetMap(1 << 20), 0.9, 64 * 1024, () -> {
            if (++checks[0] == removeAtCheck) {
                removeFirstSegment(log, segments);
            }
            return false;
        });

        LogToClean cleanable = CleanerManager.plan(log, Optional.empty(), NOW);
        assertThatThrownBy(() -> cleaner.clean(cleanable, NOW)).isInstanceOf(CleaningAbortedException.class);
    }

    /** DeleteRecords past the first segment, the retention pass that removes it, and its delayed deletion. */
    private static void removeFirstSegment(PartitionLog log, List<LogSegment> segments) {
        try {
            log.advanceLogStartOffset(segments.get(1).baseOffset());
            log.deleteOldSegments();
            segments.get(0).closeFiles();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static java.nio.ByteBuffer keyed(String key, String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(NOW, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))).buffer();
    }

    @AfterEach
    void close() {
        if (logManager != null) {
            logManager.close();
        }
    }
}
