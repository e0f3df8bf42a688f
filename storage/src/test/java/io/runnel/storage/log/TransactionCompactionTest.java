package io.runnel.storage.log;

import static io.runnel.storage.log.LastStableOffsetTest.EPOCH;
import static io.runnel.storage.log.LastStableOffsetTest.PID;
import static io.runnel.storage.log.LastStableOffsetTest.writeMarker;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.runnel.storage.segment.LogSegment;
import io.runnel.storage.segment.SegmentFiles;
import io.runnel.storage.txn.AbortedTxn;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The log cleaner on logs holding transactions (Kafka's {@code Cleaner} with
 * {@code CleanedTransactionMetadata}): aborted records are dropped and never shadow committed ones,
 * markers go only after their delete horizon once nothing of their transaction is left, an active
 * producer's last batch or marker stays, the cleaned segments get their transaction indexes, and
 * the cleaner stops at the last stable offset.
 */
class TransactionCompactionTest extends CompactionTestBase {
    private static final long DELETE_RETENTION_MS = 1000;
    private static final LogConfig RETAIN_MARKERS_ONE_SECOND = COMPACTED.withCompaction(
            COMPACTED.compaction().withDeleteRetentionMs(DELETE_RETENTION_MS));

    private static void putPlain(PartitionLog log, String key, String value) {
        log.appendAsLeader(Batches.keyed(T0, key, value), 0);
    }

    /** Plain updates of three filler keys until the log rolls: everything written before becomes cleanable. */
    private static void roll(PartitionLog log) {
        int segments = log.segmentCount();
        for (int i = 0; log.segmentCount() == segments; i++) {
            putPlain(log, "filler" + i % 3, "x");
        }
    }

    /** Rolls (see {@link #roll}) and runs one cleaning, which must pick this log. */
    private void rollAndClean(PartitionLog log) {
        roll(log);
        assertThat(cleanOnce()).isEqualTo(1);
    }

    private static List<String> valuesOf(List<Read> records, String key) {
        return records.stream().filter(read -> key.equals(read.key())).map(Read::value).toList();
    }

    /** The batch holding {@code offset}, or null if the cleaner removed it. */
    private static RecordBatch batchAt(PartitionLog log, long offset) {
        return Batches.batches(log.read(offset, 1 << 20, true)).stream()
                .filter(batch -> batch.baseOffset() <= offset && offset <= batch.lastOffset())
                .findFirst().orElse(null);
    }

    private static long segmentBaseOf(PartitionLog log, long offset) {
        return log.segmentsSnapshot().stream().map(LogSegment::baseOffset).filter(base -> base <= offset)
                .reduce((first, second) -> second).orElseThrow();
    }

    /** An aborted record must never shadow an older committed value of its key; a committed one does. */
    @ParameterizedTest(name = "transaction committed: {0}")
    @ValueSource(booleans = {false, true})
    void shouldKeepOnlyTheLatestCommittedValueOfAKey(boolean commit) throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        putPlain(log, "k", "old");
        putTransactional(log, PID, "k", "transactional");
        writeMarker(log, PID, EPOCH, commit, 0);
        roll(log);

        assertThat(cleanOnce()).isEqualTo(1);

        String latestCommitted = commit ? "transactional" : "old";
        assertThat(valuesOf(readAll(log), "k")).containsExactly(latestCommitted);
        assertThat(valuesOf(readCommitted(log), "k")).containsExactly(latestCommitted);
    }

    @Test
    void shouldRebuildTheTransactionIndexOfTheCleanedSegment() throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        putPlain(log, "a", "plain");
        putTransactional(log, PID, "k", "aborted");
        putPlain(log, "b", "plain");
        writeMarker(log, PID, EPOCH, false, 0);
        roll(log);
        AbortedTxn abort = new AbortedTxn(PID, 1, 3, 4);
        assertThat(log.abortedTransactions(0, log.logEndOffset())).containsExactly(abort);

        assertThat(cleanOnce()).isEqualTo(1);

        // the aborted record went, but its marker stays (and stays indexed) until a cleaning finds nothing of it left
        assertThat(valuesOf(readAll(log), "k")).isEmpty();
        assertThat(batchAt(log, 3).isControlBatch()).isTrue();
        assertThat(log.segmentsSnapshot().get(0).txnIndex().entries()).containsExactly(abort);
        assertThat(SegmentFiles.TXN_INDEX.path(partitionDir(), 0)).exists();
        assertThat(log.abortedTransactions(0, log.logEndOffset())).containsExactly(abort);
    }

    @Test
    void shouldStampAnAbortMarkerWithNothingLeftAndDeleteItOnceItsHorizonHasPassed() throws Exception {
        PartitionLog log = openManaged(RETAIN_MARKERS_ONE_SECOND);
        putTransactional(log, PID, "k", "aborted");
        writeMarker(log, PID, EPOCH, false, 0);
        // a later transaction: the producer's last batch, which the cleaner keeps, is not the aborted one
        putTransactional(log, PID, "j", "committed");
        writeMarker(log, PID, EPOCH, true, 0);
        rollAndClean(log);
        assertThat(batchAt(log, 0)).isNull();
        assertThat(batchAt(log, 1).deleteHorizonMs()).isEmpty();

        rollAndClean(log);
        assertThat(batchAt(log, 1).deleteHorizonMs()).hasValue(clock.millis() + DELETE_RETENTION_MS);
        assertThat(log.segmentsSnapshot().get(0).txnIndex().entries()).isEmpty();
        clock.advance(DELETE_RETENTION_MS - 1);
        rollAndClean(log);
        assertThat(batchAt(log, 1)).isNotNull();

        clock.advance(1);
        rollAndClean(log);
        assertThat(batchAt(log, 1)).isNull();
        assertThat(valuesOf(readCommitted(log), "j")).containsExactly("committed");
    }

    @Test
    void shouldKeepACommitMarkerWhileDataOfItsTransactionIsLeft() throws Exception {
        PartitionLog log = openManaged(RETAIN_MARKERS_ONE_SECOND);
        putTransactional(log, PID, "k", "committed");
        writeMarker(log, PID, EPOCH, true, 0);
        putPlain(log, "k", "newer");
        putTransactional(log, PID, "j", "later");
        writeMarker(log, PID, EPOCH, true, 0);

        rollAndClean(log);
        // the transaction's record was shadowed in this pass, so its marker was not yet known to be empty
        assertThat(batchAt(log, 0)).isNull();
        assertThat(batchAt(log, 1).deleteHorizonMs()).isEmpty();
        assertThat(batchAt(log, 4).deleteHorizonMs()).isEmpty();

        rollAndClean(log);
        assertThat(batchAt(log, 1).deleteHorizonMs()).hasValue(clock.millis() + DELETE_RETENTION_MS);
        // its transaction's batch is the producer's last: kept, so the marker is never empty of data
        assertThat(batchAt(log, 4).deleteHorizonMs()).isEmpty();

        clock.advance(DELETE_RETENTION_MS);
        rollAndClean(log);
        assertThat(batchAt(log, 1)).isNull();
        assertThat(batchAt(log, 4)).isNotNull();
        assertThat(valuesOf(readCommitted(log), "k")).containsExactly("newer");
    }

    @Test
    void shouldKeepTheLastDataBatchOfAnActiveProducerEmptyWhenItsTransactionIsAborted() throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        putTransactional(log, PID, "k", "aborted");
        writeMarker(log, PID, EPOCH, false, 0);

        rollAndClean(log);

        RecordBatch last = batchAt(log, 0);
        assertThat(last).isNotNull();
        assertThat(last.isTransactional()).isTrue();
        assertThat(last.lastSequence()).isZero();
        assertThat(last.iterator().hasNext()).isFalse();
        assertThat(valuesOf(readAll(log), "k")).isEmpty();
    }

    @Test
    void shouldKeepTheLastMarkerOfAnActiveProducerWithoutDataAfterItsHorizon() throws Exception {
        PartitionLog log = openManaged(RETAIN_MARKERS_ONE_SECOND);
        short bumped = (short) (EPOCH + 1);
        putTransactional(log, PID, "k", "aborted");
        // a coordinator aborting at a bumped epoch: the producer's cached batches are forgotten
        writeMarker(log, PID, bumped, false, 0);
        rollAndClean(log);
        rollAndClean(log);
        assertThat(batchAt(log, 1).deleteHorizonMs()).isPresent();

        clock.advance(DELETE_RETENTION_MS);
        rollAndClean(log);

        assertThat(batchAt(log, 0)).isNull();
        RecordBatch marker = batchAt(log, 1);
        assertThat(marker).isNotNull();
        assertThat(marker.isControlBatch()).isTrue();
        assertThat(marker.producerEpoch()).isEqualTo(bumped);
        assertThat(marker.iterator().hasNext()).isFalse();
    }

    @Test
    void shouldNeverCleanPastAnOpenTransaction() throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        writeUpdates(log, T0, 5, 40);
        putTransactional(log, PID, "txn-key", "open");
        long lastStable = log.lastStableOffset();
        writeUpdates(log, T0, 5, 40);
        long firstUncleanable = segmentBaseOf(log, lastStable);
        assertThat(firstUncleanable).isPositive();
        List<Read> unstable = readAll(log).stream().filter(read -> read.offset() >= firstUncleanable).toList();

        assertThat(cleanOnce()).isEqualTo(1);

        assertThat(readAll(log).stream().filter(read -> read.offset() >= firstUncleanable)).containsExactlyElementsOf(unstable);
        assertThat(readAll(log).stream().filter(read -> read.offset() < firstUncleanable)).hasSize(5);
        assertThat(log.lastStableOffset()).isEqualTo(lastStable);

        writeMarker(log, PID, EPOCH, true, 0);
        assertThat(log.lastStableOffset()).isEqualTo(log.highWatermark());
        rollAndClean(log);
        assertThat(valuesOf(readCommitted(log), "txn-key")).containsExactly("open");
        assertThat(readAll(log).stream().filter(read -> read.offset() >= firstUncleanable).count()).isLessThan(unstable.size());
    }

    @Test
    void shouldHideExactlyTheAbortedRecordsFromReadCommittedAfterEachCleaning() throws Exception {
        PartitionLog log = openManaged(RETAIN_MARKERS_ONE_SECOND);
        writeTransactions(log, 20);
        // left open: the first cleaning stops below it, while the aborts behind it stay indexed for readers
        putTransactional(log, PID, "t0", "open");
        writeTransactions(log, 5);
        List<Read> stable = readCommitted(log);
        assertThat(cleanOnce()).isEqualTo(1);
        assertThat(readCommitted(log)).noneMatch(CompactionTestBase::isAborted);
        assertThat(latestByKey(readCommitted(log))).isEqualTo(latestByKey(stable));

        writeMarker(log, PID, EPOCH, false, 0);
        List<Read> committed = readCommitted(log);
        assertThat(committed).isNotEmpty().noneMatch(read -> isAborted(read) || read.value().equals("open"));
        for (int pass = 0; pass < 3; pass++) {
            rollAndClean(log);

            List<Read> cleaned = readCommitted(log).stream().filter(read -> read.key().startsWith("t")).toList();
            assertThat(cleaned).noneMatch(CompactionTestBase::isAborted);
            assertThat(committed).containsAll(cleaned);
            assertThat(latestByKey(cleaned)).isEqualTo(latestByKey(committed));
            clock.advance(DELETE_RETENTION_MS);
        }
    }
}
