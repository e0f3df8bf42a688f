package io.runnel.storage.log;

import static io.runnel.storage.log.LastStableOffsetTest.EPOCH;
import static io.runnel.storage.log.LastStableOffsetTest.PID;
import static io.runnel.storage.log.LastStableOffsetTest.writeMarker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import io.runnel.storage.segment.LogSegment;
import io.runnel.storage.segment.SegmentFiles;
import io.runnel.storage.txn.AbortedTxn;
import org.junit.jupiter.api.Test;

/** The partition log's transaction indexes: where aborts are recorded, searched, recovered, cut and deleted. */
class TransactionIndexLogTest extends LogTestBase {
    /** Small enough that every append rolls a new segment. */
    private static final LogConfig ONE_BATCH_SEGMENTS = LogConfig.defaults().withSegmentBytes(100);

    private Path txnIndex(long base) {
        return SegmentFiles.TXN_INDEX.path(partitionDir(), base);
    }

    private List<Path> txnIndexFiles() throws Exception {
        try (Stream<Path> files = Files.list(partitionDir())) {
            return files.filter(f -> f.getFileName().toString().contains(".txnindex")).toList();
        }
    }

    private static List<Long> segmentBases(PartitionLog log) {
        return log.segmentsSnapshot().stream().map(LogSegment::baseOffset).toList();
    }

    /** PID's data at 0 (segment 0), plain data at 1 (segment 1), PID's abort at 2 (segment 2). */
    private PartitionLog abortAcrossSegments() throws Exception {
        PartitionLog log = open(ONE_BATCH_SEGMENTS);
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "aborted"), 0);
        log.appendAsLeader(Batches.plain(T0, "plain"), 0);
        writeMarker(log, PID, EPOCH, false, 0);
        assertThat(segmentBases(log)).containsExactly(0L, 1L, 2L);
        return log;
    }

    @Test
    void shouldIndexTheAbortInTheSegmentOfItsMarkerAndFindItFromTheDataSegment() throws Exception {
        PartitionLog log = abortAcrossSegments();

        assertThat(log.abortedTransactions(0, 3)).containsExactly(new AbortedTxn(PID, 0, 2, 3));
        assertThat(txnIndexFiles()).containsExactly(txnIndex(2));
    }

    @Test
    void shouldBoundTheAbortedSearchOfAReadCommittedSliceByTheNextSegmentWhenNoIndexEntryFollowsIt() throws Exception {
        PartitionLog log = abortAcrossSegments();

        FetchSlice slice = log.read(0, 1 << 20, true, FetchIsolation.TXN_COMMITTED);

        assertThat(Batches.offsets(slice)).containsExactly(0L);
        assertThat(slice.upperBoundOffset()).isEqualTo(1);
        assertThat(log.abortedTransactions(0, slice.upperBoundOffset())).containsExactly(new AbortedTxn(PID, 0, 2, 3));
        assertThat(log.read(0, 1 << 20, true, FetchIsolation.HIGH_WATERMARK).upperBoundOffset()).isEqualTo(-1);
    }

    @Test
    void shouldBoundAReadCommittedSliceByTheFirstIndexEntryPastIt() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withIndexIntervalBytes(1));
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        log.appendAsLeader(Batches.plain(T0, "b"), 0);
        log.appendAsLeader(Batches.plain(T0, "c"), 0);
        int firstBatchSize = log.read(0, 1 << 20, true).size() / 3;

        FetchSlice slice = log.read(0, firstBatchSize, true, FetchIsolation.TXN_COMMITTED);

        assertThat(Batches.offsets(slice)).containsExactly(0L);
        assertThat(slice.upperBoundOffset()).isEqualTo(1);
    }

    @Test
    void shouldNotIndexCommittedTransactions() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "committed"), 0);
        writeMarker(log, PID, EPOCH, true, 0);

        assertThat(log.abortedTransactions(0, 2)).isEmpty();
        assertThat(txnIndexFiles()).isEmpty();
    }

    @Test
    void shouldRecordTheLastStableOffsetOfTheOldestOtherOpenTransaction() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "aborted"), 0);
        log.appendAsLeader(Batches.transactional(PID + 1, EPOCH, 0, T0, "open"), 0);
        writeMarker(log, PID, EPOCH, false, 0);

        assertThat(log.abortedTransactions(0, 3)).containsExactly(new AbortedTxn(PID, 0, 2, 1));
    }

    @Test
    void shouldSkipAbortsWhoseMarkerIsBelowTheFetchOffset() throws Exception {
        PartitionLog log = abortAcrossSegments();
        log.appendAsLeader(Batches.plain(T0, "later"), 0);

        assertThat(log.abortedTransactions(3, 4)).isEmpty();
    }

    @Test
    void shouldBoundReadCommittedReadsByTheLastStableOffset() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "before"), 0);
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "open"), 0);
        log.appendAsLeader(Batches.plain(T0, "after"), 0);

        assertThat(Batches.offsets(log.read(0, 1 << 20, true, FetchIsolation.TXN_COMMITTED))).containsExactly(0L);
        assertThat(Batches.offsets(log.read(0, 1 << 20, true, FetchIsolation.HIGH_WATERMARK))).containsExactly(0L, 1L, 2L);
        assertThat(log.read(1, 1 << 20, true, FetchIsolation.TXN_COMMITTED).isEmpty()).isTrue();

        writeMarker(log, PID, EPOCH, false, 0);

        assertThat(Batches.offsets(log.read(0, 1 << 20, true, FetchIsolation.TXN_COMMITTED))).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void shouldBoundReadCommittedReadsByTheHighWatermarkWhenNothingIsOpen() throws Exception {
        PartitionLog log = openReplicated(LogConfig.defaults(), true, 0, 0);
        log.appendAsFollower(Batches.replicated(0, 1, "a"));
        log.appendAsFollower(Batches.replicated(1, 1, "b"));
        log.updateHighWatermark(1);

        assertThat(Batches.offsets(log.read(0, 1 << 20, true, FetchIsolation.TXN_COMMITTED))).containsExactly(0L);
    }

    @Test
    void shouldRebuildTheIndexOnUncleanRecovery() throws Exception {
        abortAcrossSegments().close();
        Files.delete(txnIndex(2));

        PartitionLog log = open(ONE_BATCH_SEGMENTS, false, 0);

        assertThat(log.abortedTransactions(0, 3)).containsExactly(new AbortedTxn(PID, 0, 2, 3));
        assertThat(txnIndexFiles()).containsExactly(txnIndex(2));
    }

    @Test
    void shouldRebuildTheLastStableOffsetFromTheSnapshotWhenATransactionSpansARoll() throws Exception {
        PartitionLog log = open(ONE_BATCH_SEGMENTS);
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "aborted"), 0);
        log.appendAsLeader(Batches.transactional(PID + 1, EPOCH, 0, T0, "open"), 0);
        writeMarker(log, PID, EPOCH, false, 0);
        assertThat(segmentBases(log)).containsExactly(0L, 1L, 2L);
        log.close();
        Files.delete(txnIndex(2));

        // only the marker's segment is re-scanned; both open transactions come from the snapshot at 2
        log = open(ONE_BATCH_SEGMENTS, false, 2);

        assertThat(log.abortedTransactions(0, 3)).containsExactly(new AbortedTxn(PID, 0, 2, 1));
        assertThat(log.hasOngoingTxn(PID + 1)).isTrue();
        assertThat(log.lastStableOffset()).isEqualTo(1);
    }

    @Test
    void shouldReopenTheTransactionAndDropItsEntryWhenRecoveryCutsATornMarker() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "aborted"), 0);
        writeMarker(log, PID, EPOCH, false, 0);
        assertThat(log.abortedTransactions(0, 2)).hasSize(1);
        log.close();
        Path segment = SegmentFiles.LOG.path(partitionDir(), 0);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3);
        }

        log = open(LogConfig.defaults(), false, 0);

        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(log.abortedTransactions(0, 1)).isEmpty();
        assertThat(log.hasOngoingTxn(PID)).isTrue();
        assertThat(log.lastStableOffset()).isZero();
        assertThat(txnIndexFiles()).isEmpty();
    }

    @Test
    void shouldKeepTheIndexAcrossACleanRestart() throws Exception {
        abortAcrossSegments().close();

        PartitionLog log = open(ONE_BATCH_SEGMENTS);

        assertThat(log.abortedTransactions(0, 3)).containsExactly(new AbortedTxn(PID, 0, 2, 3));
    }

    @Test
    void shouldDropTheEntryWhenAFollowerTruncatesBelowTheMarker() throws Exception {
        PartitionLog log = openReplicated(LogConfig.defaults(), true, 0, 0);
        log.appendAsFollower(Batches.replicatedTransactional(0, 1, PID, EPOCH, 0, "t1"));
        log.appendAsFollower(Batches.replicatedMarker(1, 1, PID, EPOCH, false, 0));
        assertThat(log.abortedTransactions(0, 2)).hasSize(1);

        log.truncateTo(1);

        assertThat(log.abortedTransactions(0, 2)).isEmpty();
        assertThat(Files.size(txnIndex(0))).isZero();
        log.appendAsFollower(Batches.replicatedMarker(1, 2, PID, EPOCH, false, 0));
        assertThat(log.abortedTransactions(0, 2)).containsExactly(new AbortedTxn(PID, 0, 1, 2));
    }

    @Test
    void shouldDropTheIndexesWhenTheLogIsEmptiedToStartElsewhere() throws Exception {
        PartitionLog log = abortAcrossSegments();

        log.truncateFullyAndStartAt(10);
        runPendingDeletions();

        assertThat(log.abortedTransactions(10, 11)).isEmpty();
        assertThat(txnIndexFiles()).isEmpty();
    }

    @Test
    void shouldDeleteTheIndexWithItsSegment() throws Exception {
        PartitionLog log = abortAcrossSegments();
        log.appendAsLeader(Batches.plain(T0, "kept"), 0);
        log.advanceLogStartOffset(3);

        assertThat(log.deleteOldSegments()).isEqualTo(3);
        assertThat(txnIndexFiles()).containsExactly(Path.of(txnIndex(2) + SegmentFiles.DELETED_SUFFIX));
        runPendingDeletions();

        assertThat(txnIndexFiles()).isEmpty();
        assertThat(log.abortedTransactions(3, 4)).isEmpty();
    }
}
