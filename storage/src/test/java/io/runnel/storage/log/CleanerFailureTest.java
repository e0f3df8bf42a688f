package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.runnel.storage.log.PartitionLog.SwapStep;
import io.runnel.storage.segment.SegmentFiles;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Unexpected failures of the cleaner stay local: to one log, and to one cleaning's files. */
class CleanerFailureTest extends CompactionTestBase {
    private static final int KEYS = 10;
    private static final int ROUNDS = 20;

    @Test
    void shouldStillCleanOtherLogsWhenChoosingWhetherToCleanOneFails() throws Exception {
        long lagMs = 3_600_000;
        // without timestamps, the compaction lag is judged on the file's time, which cannot be read once it is gone
        PartitionLog broken = openManaged(COMPACTED.withCompaction(COMPACTED.compaction().withMinCompactionLagMs(lagMs)));
        writeUpdates(broken, RecordBatch.NO_TIMESTAMP, KEYS, ROUNDS);
        Files.delete(broken.segmentsSnapshot().get(0).logFile());
        PartitionLog healthy = manager.getOrCreateLog(new TopicPartition("other", 0), Uuid.randomUuid(), COMPACTED);
        writeUpdates(healthy, T0, KEYS, ROUNDS);
        int records = readAll(healthy).size();
        clock.advance(lagMs + 1);

        assertThat(cleanOnce()).isEqualTo(1);

        assertThat(readAll(healthy).size()).isLessThan(records);
        assertThat(cleanOnce()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = SwapStep.class, names = {"CLEANED", "INDEXES_SWAP"})
    void shouldDeleteTheCleanedSegmentWhenTheSwapFailsBeforeItIsOnDisk(SwapStep failAt) throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        writeUpdates(log, T0, KEYS, ROUNDS);
        List<Read> before = readAll(log);
        log.observeSwaps(step -> failIf(step == failAt));

        cleanOnce();

        assertThat(log.isOffline()).isFalse();
        assertThat(readAll(log)).isEqualTo(before);
        assertThat(filesEndingWith(SegmentFiles.CLEANED_SUFFIX, SegmentFiles.SWAP_SUFFIX)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = SwapStep.class, names = {"SWAP", "OLD_SEGMENT_DELETED", "LOG_RENAMED"})
    void shouldTakeTheLogOfflineWhenTheSwapFailsOnceItIsOnDisk(SwapStep failAt) throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        writeUpdates(log, T0, KEYS, ROUNDS);
        log.observeSwaps(step -> failIf(step == failAt));

        cleanOnce();

        // the segment map and the files may disagree: only recovery may finish the swap
        assertThat(log.isOffline()).isTrue();
    }

    private static void failIf(boolean fail) {
        if (fail) {
            throw new IllegalStateException("injected swap failure");
        }
    }

    private List<Path> filesEndingWith(String... suffixes) throws Exception {
        try (Stream<Path> files = Files.list(partitionDir())) {
            return files.filter(file -> Stream.of(suffixes).anyMatch(suffix -> file.toString().endsWith(suffix))).toList();
        }
    }
}
