package io.runnel.storage.log;

import static io.runnel.storage.log.LastStableOffsetTest.EPOCH;
import static io.runnel.storage.log.LastStableOffsetTest.PID;
import static io.runnel.storage.log.LastStableOffsetTest.writeMarker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.runnel.storage.producer.ProducerSnapshotFile;
import org.junit.jupiter.api.Test;

class TransactionRecoveryTest extends LogTestBase {

    /** Two transactions: PID's committed at offsets 0 and 2, PID + 1's open from offset 1; then plain data. */
    private PartitionLog writeTransactions(LogConfig config) throws Exception {
        PartitionLog log = open(config);
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "committed"), 0);
        log.appendAsLeader(Batches.transactional(PID + 1, EPOCH, 0, T0, "open"), 0);
        writeMarker(log, PID, EPOCH, true, 0);
        log.appendAsLeader(Batches.plain(T0, "after"), 0);
        return log;
    }

    private void deleteSnapshots() throws Exception {
        List<Path> snapshots;
        try (Stream<Path> files = Files.list(partitionDir())) {
            snapshots = files.filter(f -> ProducerSnapshotFile.offsetOf(f) >= 0).toList();
        }
        for (Path snapshot : snapshots) {
            Files.delete(snapshot);
        }
    }

    private static void assertOpenTransactionRestored(PartitionLog log) {
        assertThat(log.lastStableOffset()).isEqualTo(1);
        assertThat(log.hasOngoingTxn(PID + 1)).isTrue();
        assertThat(log.hasOngoingTxn(PID)).isFalse();
        writeMarker(log, PID + 1, EPOCH, false, 0);
        assertThat(log.lastStableOffset()).isEqualTo(5);
    }

    @Test
    void shouldRestoreOpenTransactionFromSnapshotAfterCleanReopen() throws Exception {
        writeTransactions(LogConfig.defaults()).close();

        assertOpenTransactionRestored(open(LogConfig.defaults()));
    }

    @Test
    void shouldRebuildOpenTransactionFromLogWithoutSnapshot() throws Exception {
        writeTransactions(LogConfig.defaults()).close();
        deleteSnapshots();

        assertOpenTransactionRestored(open(LogConfig.defaults()));
    }

    @Test
    void shouldRebuildOpenTransactionAcrossSegmentsOnUncleanRecovery() throws Exception {
        LogConfig small = LogConfig.defaults().withSegmentBytes(100);
        PartitionLog log = writeTransactions(small);
        assertThat(log.segmentCount()).isGreaterThan(1);
        log.close();
        deleteSnapshots();

        assertOpenTransactionRestored(open(small, false, 0));
    }

    @Test
    void shouldReopenTransactionWhenTruncationRemovesItsMarker() throws Exception {
        PartitionLog log = openReplicated(LogConfig.defaults(), true, 0, 0);
        log.appendAsFollower(Batches.replicatedTransactional(0, 1, PID, EPOCH, 0, "t1"));
        log.appendAsFollower(Batches.replicatedMarker(1, 1, PID, EPOCH, true, 0));
        log.updateHighWatermark(1);

        log.truncateTo(1);

        assertThat(log.hasOngoingTxn(PID)).isTrue();
        assertThat(log.lastStableOffset()).isZero();
        assertThat(log.firstUnstableOffset()).hasValue(0);
    }
}
