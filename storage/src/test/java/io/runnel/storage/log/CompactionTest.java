package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import io.runnel.storage.checkpoint.OffsetCheckpointFile;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class CompactionTest extends CompactionTestBase {
    private static final int KEYS = 10;
    private static final int ROUNDS = 20;

    @Test
    void shouldKeepOnlyTheLatestRecordOfEachKeyAtItsOriginalOffset() throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        writeUpdates(log, T0, KEYS, ROUNDS);
        List<Read> before = readAll(log);
        long activeBase = log.segmentsSnapshot().get(log.segmentCount() - 1).baseOffset();

        assertThat(cleanOnce()).isEqualTo(1);

        List<Read> after = readAll(log);
        assertThat(before).containsAll(after);
        assertThat(after).extracting(Read::offset).isSorted().doesNotHaveDuplicates();
        assertThat(latestByKey(after)).isEqualTo(latestByKey(before));
        // records in the active segment are not cleaned, and do not count as newer values either
        Map<String, Read> latestCleanable = latestByKey(before.stream().filter(read -> read.offset() < activeBase).toList());
        assertThat(after).allMatch(read -> read.offset() >= activeBase || latestCleanable.get(read.key()).equals(read));
        assertThat(after.size()).isLessThan(before.size());
        assertThat(log.logEndOffset()).isEqualTo(KEYS * ROUNDS);
        assertThat(log.logStartOffset()).isZero();
    }

    @Test
    void shouldMergeSmallCleanedSegments() throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        writeUpdates(log, T0, KEYS, ROUNDS);
        int segmentsBefore = log.segmentCount();
        // a first cleaning leaves the (full) segments one for one, only smaller
        cleanOnce();
        assertThat(log.segmentCount()).isEqualTo(segmentsBefore);
        writeUpdates(log, T0, KEYS, ROUNDS);
        int segmentsBeforeSecondCleaning = log.segmentCount();

        cleanOnce();

        // the first cleaning's small segments are merged into one (the full dirty ones are grouped by their size before cleaning)
        assertThat(log.segmentCount()).isLessThanOrEqualTo(segmentsBeforeSecondCleaning - segmentsBefore + 2);
        try (var files = Files.list(partitionDir())) {
            assertThat(files.filter(f -> f.toString().endsWith(".log"))).hasSize(log.segmentCount());
        }
    }

    @Test
    void shouldNeverCleanTheActiveSegment() throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        writeUpdates(log, T0, 2, 3);
        assertThat(log.segmentCount()).isEqualTo(1);

        assertThat(cleanOnce()).isZero();
        assertThat(readAll(log)).hasSize(6);
    }

    @Test
    void shouldNotCleanBelowTheMinimumDirtyRatio() throws Exception {
        PartitionLog log = openManaged(COMPACTED.withCompaction(COMPACTED.compaction().withMinCleanableRatio(0.5)));
        writeUpdates(log, T0, 100, 3);
        cleanOnce();
        List<Read> cleaned = readAll(log);
        log.appendAsLeader(Batches.keyed(T0, "k0", "again"), 0);
        forceRoll(log);

        // the segment that was active (and one more record) is far below half of the log
        assertThat(cleanOnce()).isZero();
        assertThat(readAll(log)).startsWith(cleaned.toArray(Read[]::new));
    }

    @Test
    void shouldKeepRecordsYoungerThanTheMinimumCompactionLag() throws Exception {
        long lagMs = 3_600_000;
        PartitionLog log = openManaged(COMPACTED.withCompaction(COMPACTED.compaction().withMinCompactionLagMs(lagMs)));
        writeUpdates(log, clock.millis(), KEYS, ROUNDS);
        int records = readAll(log).size();

        assertThat(cleanOnce()).isZero();
        assertThat(readAll(log)).hasSize(records);

        clock.advance(lagMs + 1);
        assertThat(cleanOnce()).isEqualTo(1);
        assertThat(readAll(log).size()).isLessThan(records);
    }

    @Test
    void shouldCleanRecordsOlderThanTheMaximumCompactionLagWhateverTheRatio() throws Exception {
        long lagMs = 3_600_000;
        // a ratio of 1 is never exceeded: only the maximum lag can make this log due
        PartitionLog log = openManaged(COMPACTED.withCompaction(COMPACTED.compaction().withMinCleanableRatio(1).withMaxCompactionLagMs(lagMs)));
        writeUpdates(log, clock.millis(), KEYS, ROUNDS);

        assertThat(cleanOnce()).isZero();
        clock.advance(lagMs + 1);
        assertThat(cleanOnce()).isEqualTo(1);
        assertThat(latestByKey(readAll(log)).values()).extracting(Read::value).allMatch(value -> value.startsWith("v" + (ROUNDS - 1)));
    }

    @Test
    void shouldRemoveTombstonesOnlyAfterDeleteRetention() throws Exception {
        long deleteRetentionMs = 86_400_000;
        PartitionLog log = openManaged(COMPACTED.withCompaction(COMPACTED.compaction().withDeleteRetentionMs(deleteRetentionMs)));
        writeUpdates(log, T0, KEYS, ROUNDS);
        log.appendAsLeader(Batches.keyed(T0, "k3", null), 0);
        forceRoll(log);

        cleanOnce();
        assertThat(readAll(log)).filteredOn(read -> read.key().equals("k3")).singleElement()
                .satisfies(read -> assertThat(read.value()).isNull());

        clock.advance(deleteRetentionMs);
        writeUpdates(log, clock.millis(), KEYS, ROUNDS);
        cleanOnce();

        assertThat(readAll(log)).filteredOn(read -> read.key().equals("k3")).allMatch(read -> read.value() != null);
        assertThat(latestByKey(readAll(log))).containsKey("k3");
    }

    @Test
    void shouldKeepEachIdempotentProducersLastBatchSoItsSequenceSurvivesARestart() throws Exception {
        long producerId = 42;
        short epoch = 0;
        PartitionLog log = openManaged(COMPACTED);
        AppendResult last = log.appendAsLeader(Batches.keyedIdempotent(producerId, epoch, 0, T0, "k0", "from the producer"), 0);
        writeUpdates(log, T0, KEYS, ROUNDS);
        cleanOnce();

        assertThat(readAll(log)).noneMatch(read -> read.offset() == last.firstOffset());
        RecordBatch kept = batchAt(log, last.firstOffset());
        assertThat(kept.producerId()).isEqualTo(producerId);
        assertThat(kept.lastSequence()).isZero();
        manager.close();
        manager = LogManager.open(List.of(tempDir), clock);
        PartitionLog reopened = manager.getOrCreateLog(TP, TOPIC_ID, COMPACTED);

        AppendResult retry = reopened.appendAsLeader(Batches.keyedIdempotent(producerId, epoch, 0, T0, "k0", "from the producer"), 0);
        AppendResult next = reopened.appendAsLeader(Batches.keyedIdempotent(producerId, epoch, 1, T0, "k0", "next"), 0);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(last.firstOffset());
        assertThat(next.duplicate()).isFalse();
    }

    @Test
    void shouldPersistWhereCleaningEndedAndDropDeletedLogsFromTheCheckpoint() throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        writeUpdates(log, T0, KEYS, ROUNDS);
        long activeBase = log.segmentsSnapshot().get(log.segmentCount() - 1).baseOffset();
        OffsetCheckpointFile checkpoint = new OffsetCheckpointFile(tempDir.resolve(OffsetCheckpointFile.CLEANER_OFFSET_FILE));

        cleanOnce();
        assertThat(checkpoint.read()).containsEntry(TP, activeBase);
        assertThat(cleanOnce()).isZero();

        manager.deleteLog(TP);
        manager.checkpoint();
        assertThat(checkpoint.read()).doesNotContainKey(TP);
    }

    @Test
    void shouldStillDeleteByRetentionWithCompactAndDeleteOnceSegmentsWereCleanedEmpty() throws Exception {
        long retentionMs = 3_600_000;
        PartitionLog log = openManaged(COMPACTED.withRetentionMs(retentionMs));
        writeUpdates(log, T0, KEYS, ROUNDS);
        cleanOnce();
        assertThat(log.segmentsSnapshot().get(0).size()).as("a cleaned segment holding only superseded records").isLessThan(100);

        clock.advance(retentionMs + 1);
        log.deleteOldSegments();

        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(log.segmentsSnapshot().get(0).baseOffset());
        assertThat(log.logEndOffset()).isEqualTo(KEYS * ROUNDS);
    }

    @Test
    void shouldRefuseRecordsWithoutKeyOnACompactedLog() throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        log.appendAsLeader(Batches.keyed(T0, "k", "v"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "a", "b"), 0))
                .isInstanceOfSatisfying(KeylessRecordException.class, e -> assertThat(e.recordIndexes()).containsExactly(0, 1));
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldAcceptRecordsWithoutKeyOnALogThatIsNotCompacted() throws Exception {
        PartitionLog log = openManaged(LogConfig.defaults());

        assertThat(log.appendAsLeader(Batches.plain(T0, "a"), 0).firstOffset()).isZero();
    }

    /** Makes the active segment inactive by rolling on time: the next append goes to a new segment. */
    private void forceRoll(PartitionLog log) {
        clock.advance(log.config().segmentMs() + 1);
        log.appendAsLeader(Batches.keyed(clock.millis(), "roll", "x"), 0);
    }

    private static RecordBatch batchAt(PartitionLog log, long offset) {
        return Batches.batches(log.read(offset, 1 << 20, true)).get(0);
    }
}
