package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.stream.Stream;

import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;

class RetentionTest extends LogTestBase {
    private static final LogConfig SMALL_SEGMENTS = LogConfig.defaults().withSegmentBytes(300);

    private PartitionLog logWithSegments(LogConfig config, long timestamp, int records) throws Exception {
        PartitionLog log = open(config);
        for (int i = 0; i < records; i++) {
            log.appendAsLeader(Batches.plain(timestamp, "value-" + "x".repeat(60) + i), 0);
        }
        return log;
    }

    private long filesWithSuffix(String suffix) throws Exception {
        try (Stream<java.nio.file.Path> files = Files.list(partitionDir())) {
            return files.filter(f -> f.toString().endsWith(suffix)).count();
        }
    }

    @Test
    void shouldDeleteSegmentsOlderThanRetentionMs() throws Exception {
        PartitionLog log = logWithSegments(SMALL_SEGMENTS.withRetentionMs(3_600_000), T0, 6);
        clock.advance(3_600_001);
        log.appendAsLeader(Batches.plain(clock.millis(), "fresh"), 0);
        int before = log.segmentCount();

        int deleted = log.deleteOldSegments();

        assertThat(deleted).isEqualTo(before - 1);
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(Batches.values(log.read(6, 1000, true))).containsExactly("fresh");
        assertThatThrownBy(() -> log.read(0, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldKeepLogEndOffsetWhenWholeLogExpires() throws Exception {
        PartitionLog log = logWithSegments(SMALL_SEGMENTS.withRetentionMs(1_000), T0, 6);
        clock.advance(2_000);

        log.deleteOldSegments();

        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.appendAsLeader(Batches.plain(clock.millis(), "next"), 0).firstOffset()).isEqualTo(6);
    }

    @Test
    void shouldDeleteOldestWholeSegmentsBeyondRetentionBytes() throws Exception {
        PartitionLog log = logWithSegments(SMALL_SEGMENTS, T0, 12);
        long retention = log.sizeInBytes() / 2;
        log.updateConfig(SMALL_SEGMENTS.withRetentionBytes(retention));

        int deleted = log.deleteOldSegments();

        assertThat(deleted).isPositive();
        assertThat(log.sizeInBytes()).isGreaterThanOrEqualTo(retention);
        assertThat(log.logStartOffset()).isPositive();
        assertThat(Batches.offsets(log.read(log.logStartOffset(), 1000, true))).first().isEqualTo(log.logStartOffset());
    }

    @Test
    void shouldRenameDeletedSegmentsAndRemoveThemLater() throws Exception {
        PartitionLog log = logWithSegments(SMALL_SEGMENTS.withRetentionMs(1_000), T0, 6);
        clock.advance(2_000);

        log.deleteOldSegments();

        assertThat(filesWithSuffix(".log.deleted")).isPositive();
        runPendingDeletions();
        assertThat(filesWithSuffix(".deleted")).isZero();
    }

    @Test
    void shouldNotDeleteAnythingWithinRetention() throws Exception {
        PartitionLog log = logWithSegments(SMALL_SEGMENTS.withRetentionMs(3_600_000), T0, 6);
        clock.advance(1_000);

        assertThat(log.deleteOldSegments()).isZero();
        assertThat(log.logStartOffset()).isZero();
    }
}
