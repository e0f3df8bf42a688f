package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.runnel.storage.checkpoint.OffsetCheckpointFile;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;

/** DeleteRecords at the log level: moving the log start offset, and retention removing what lies wholly below it. */
class LogStartOffsetTest extends LogTestBase {
    private static final LogConfig SMALL_SEGMENTS = LogConfig.defaults().withSegmentBytes(300).withRetentionMs(-1);

    private PartitionLog logWith(int records) throws Exception {
        PartitionLog log = open(SMALL_SEGMENTS);
        for (int i = 0; i < records; i++) {
            log.appendAsLeader(Batches.plain(T0, "value-" + "x".repeat(60) + i), 0);
        }
        return log;
    }

    @Test
    void shouldHideRecordsBelowTheNewStart() throws Exception {
        PartitionLog log = logWith(6);

        assertThat(log.advanceLogStartOffset(4)).isEqualTo(4);

        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThatThrownBy(() -> log.read(3, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(Batches.offsets(log.read(4, 1000, true))).first().isEqualTo(4L);
        assertThat(log.findOffsetByTimestamp(0).orElseThrow().offset()).isEqualTo(4);
    }

    @Test
    void shouldDeleteOnlySegmentsWhollyBelowTheStartOnTheNextRetentionPass() throws Exception {
        PartitionLog log = logWith(12);
        int segments = log.segmentCount();
        log.advanceLogStartOffset(7);

        int deleted = log.deleteOldSegments();

        assertThat(deleted).isPositive().isLessThan(segments);
        assertThat(log.logStartOffset()).isEqualTo(7);
        assertThat(Batches.offsets(log.read(7, 1000, true))).first().isEqualTo(7L);
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void shouldNeverMoveTheStartBackwards() throws Exception {
        PartitionLog log = logWith(6);
        log.advanceLogStartOffset(5);

        assertThat(log.advanceLogStartOffset(2)).isEqualTo(5);
        assertThat(log.logStartOffset()).isEqualTo(5);
    }

    @Test
    void shouldRefuseAnOffsetBeyondTheHighWatermarkOrBelowZero() throws Exception {
        PartitionLog log = logWith(6);

        assertThatThrownBy(() -> log.advanceLogStartOffset(7)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.advanceLogStartOffset(-3)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.advanceLogStartOffset(6)).isEqualTo(6);
        assertThat(log.logStartOffset()).isEqualTo(6);
    }

    @Test
    void shouldReportACheckpointThatCannotBeWrittenToWhoeverWaitsForIt() throws Exception {
        Path dir = tempDir.resolve("managed");
        try (LogManager manager = LogManager.open(List.of(dir), clock)) {
            PartitionLog log = manager.getOrCreateLog(TP, TOPIC_ID, SMALL_SEGMENTS);
            log.appendAsLeader(Batches.plain(T0, "a", "b", "c"), 0);
            log.advanceLogStartOffset(2);
            // a directory where the checkpoint's temp file goes: a real write failure, even for root
            Path blocker = dir.resolve(OffsetCheckpointFile.LOG_START_OFFSET_FILE + ".tmp");
            Files.createDirectories(blocker.resolve("occupied"));

            assertThatThrownBy(manager::writeCheckpoints).isInstanceOf(IOException.class);
            manager.checkpoint();

            Files.delete(blocker.resolve("occupied"));
            Files.delete(blocker);
            manager.writeCheckpoints();
            assertThat(new OffsetCheckpointFile(dir.resolve(OffsetCheckpointFile.LOG_START_OFFSET_FILE)).read()).containsEntry(TP, 2L);
        }
    }
}
