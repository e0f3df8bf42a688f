package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.TxnMarker;
import io.runnel.storage.producer.VerificationGuard;
import org.junit.jupiter.api.Test;

class LastStableOffsetTest extends LogTestBase {
    static final long PID = 2000L;
    static final short EPOCH = 1;

    static AppendResult writeMarker(PartitionLog log, long pid, short epoch, boolean commit, int coordinatorEpoch) {
        return log.appendAsLeader(Batches.marker(pid, epoch, commit, coordinatorEpoch), 0, AppendOrigin.COORDINATOR,
                VerificationGuard.NONE, TxnMarker.UNKNOWN_TRANSACTION_VERSION);
    }

    private static ByteBuffer txn(long pid, int seq, String... values) {
        return Batches.transactional(pid, EPOCH, seq, T0, values);
    }

    @Test
    void shouldEqualHighWatermarkWithoutTransactions() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);

        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.firstUnstableOffset()).isEmpty();
    }

    @Test
    void shouldHoldLastStableOffsetAtFirstOffsetOfOpenTransaction() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 0);

        log.appendAsLeader(txn(PID, 0, "t1", "t2"), 0);

        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(log.lastStableOffset()).isEqualTo(1);
        assertThat(log.hasOngoingTxn(PID)).isTrue();
    }

    @Test
    void shouldKeepLastStableOffsetAtTransactionStartWhileOthersWriteOutsideTransactions() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, 0, "t1"), 0);

        log.appendAsLeader(Batches.plain(T0, "plain"), 0);
        log.appendAsLeader(Batches.idempotent(PID + 1, EPOCH, 0, T0, "idempotent"), 0);

        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(log.lastStableOffset()).isZero();
    }

    @Test
    void shouldMoveLastStableOffsetToHighWatermarkOnCommit() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, 0, "t1", "t2"), 0);
        log.appendAsLeader(Batches.plain(T0, "plain"), 0);

        AppendResult marker = writeMarker(log, PID, EPOCH, true, 0);

        assertThat(marker.firstOffset()).isEqualTo(3);
        assertThat(log.lastStableOffset()).isEqualTo(4).isEqualTo(log.highWatermark());
        assertThat(log.hasOngoingTxn(PID)).isFalse();
    }

    @Test
    void shouldMoveLastStableOffsetOnAbort() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, 0, "t1"), 0);

        writeMarker(log, PID, EPOCH, false, 0);

        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.firstUnstableOffset()).isEmpty();
    }

    @Test
    void shouldHoldLastStableOffsetAtOldestOfTwoOpenTransactions() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, 0, "p1"), 0);
        log.appendAsLeader(txn(PID + 1, 0, "p2"), 0);

        writeMarker(log, PID + 1, EPOCH, true, 0);
        assertThat(log.lastStableOffset()).isZero();

        writeMarker(log, PID, EPOCH, true, 0);
        assertThat(log.lastStableOffset()).isEqualTo(4);
    }

    @Test
    void shouldStartNextTransactionAfterMarker() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(txn(PID, 0, "t1"), 0);
        writeMarker(log, PID, EPOCH, true, 0);

        log.appendAsLeader(txn(PID, 1, "t2"), 0);

        assertThat(log.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void shouldFreeLastStableOffsetOnlyWhenExternallyManagedHighWatermarkPassesMarker() throws Exception {
        PartitionLog log = openReplicated(LogConfig.defaults(), true, 0, 0);
        log.appendAsLeader(txn(PID, 0, "t1", "t2"), 0);
        log.updateHighWatermark(2);
        assertThat(log.lastStableOffset()).isZero();

        writeMarker(log, PID, EPOCH, true, 0);
        assertThat(log.lastStableOffset()).isZero();
        log.updateHighWatermark(2);
        assertThat(log.lastStableOffset()).isZero();

        log.updateHighWatermark(3);
        assertThat(log.lastStableOffset()).isEqualTo(3);
        assertThat(log.firstUnstableOffset()).isEmpty();
    }

    @Test
    void shouldBoundLastStableOffsetByHighWatermark() throws Exception {
        PartitionLog log = openReplicated(LogConfig.defaults(), true, 0, 0);
        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);
        log.appendAsLeader(txn(PID, 0, "t1"), 0);

        log.updateHighWatermark(1);

        assertThat(log.lastStableOffset()).isEqualTo(1);
        assertThat(log.firstUnstableOffset()).hasValue(2);
    }

    @Test
    void shouldKeepTransactionStateOnFollower() throws Exception {
        PartitionLog log = openReplicated(LogConfig.defaults(), true, 0, 0);
        log.appendAsFollower(Batches.replicatedTransactional(0, 1, PID, EPOCH, 0, "t1", "t2"));
        log.appendAsFollower(Batches.replicatedMarker(2, 1, PID, EPOCH, false, 0));

        log.updateHighWatermark(2);
        assertThat(log.lastStableOffset()).isZero();

        log.updateHighWatermark(3);
        assertThat(log.lastStableOffset()).isEqualTo(3);
    }
}
