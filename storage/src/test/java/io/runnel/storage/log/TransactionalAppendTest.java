package io.runnel.storage.log;

import static io.runnel.storage.log.LastStableOffsetTest.EPOCH;
import static io.runnel.storage.log.LastStableOffsetTest.PID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.VerificationGuard;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.junit.jupiter.api.Test;

class TransactionalAppendTest extends LogTestBase {
    private static final short TV2 = 2;
    private static final short TV1 = 1;

    private static AppendResult writeMarker(PartitionLog log, short epoch, boolean commit, int coordinatorEpoch, short tv) {
        return log.appendAsLeader(Batches.marker(PID, epoch, commit, coordinatorEpoch), 0, AppendOrigin.COORDINATOR,
                VerificationGuard.NONE, tv);
    }

    private static void openTxn(PartitionLog log) {
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "t"), 0);
    }

    @Test
    void shouldRefuseControlBatchFromClient() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        assertThatThrownBy(() -> log.appendAsLeader(Batches.marker(PID, EPOCH, true, 0), 0))
                .isInstanceOf(InvalidRecordException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldRefuseNonTransactionalWriteOfProducerWithOpenTransaction() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        openTxn(log);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.idempotent(PID, EPOCH, 1, T0, "x"), 0))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldRefuseNonTransactionalBatchAfterTransactionalOneInSameRequest() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        assertThatThrownBy(() -> log.appendAsLeader(Batches.concat(Batches.transactional(PID, EPOCH, 0, T0, "t"),
                Batches.idempotent(PID, EPOCH, 1, T0, "x")), 0)).isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldAcceptNonTransactionalWriteAfterMarker() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        openTxn(log);
        writeMarker(log, EPOCH, true, 0, TV1);

        assertThat(log.appendAsLeader(Batches.idempotent(PID, EPOCH, 1, T0, "x"), 0).firstOffset()).isEqualTo(2);
    }

    @Test
    void shouldAcceptMarkerAtSameOrHigherEpochBelowVersionTwo() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        openTxn(log);

        writeMarker(log, EPOCH, true, 0, TV1);
        writeMarker(log, (short) (EPOCH + 1), true, 0, TV1);

        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void shouldRefuseMarkerBelowProducerEpoch() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        openTxn(log);

        assertThatThrownBy(() -> writeMarker(log, (short) (EPOCH - 1), false, 0, TV1))
                .isInstanceOf(InvalidProducerEpochException.class);
        assertThat(log.hasOngoingTxn(PID)).isTrue();
    }

    @Test
    void shouldRequireBumpedEpochForVersionTwoMarkerOfOpenTransaction() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        openTxn(log);

        assertThatThrownBy(() -> writeMarker(log, EPOCH, true, 0, TV2)).isInstanceOf(InvalidProducerEpochException.class);
        writeMarker(log, (short) (EPOCH + 1), true, 0, TV2);

        assertThat(log.hasOngoingTxn(PID)).isFalse();
        assertThat(log.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void shouldAcceptResentVersionTwoMarkerAtSameEpochWithoutOpenTransaction() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        openTxn(log);
        short bumped = (short) (EPOCH + 1);
        writeMarker(log, bumped, true, 0, TV2);

        AppendResult resent = writeMarker(log, bumped, true, 0, TV2);

        assertThat(resent.firstOffset()).isEqualTo(2);
        assertThatThrownBy(() -> writeMarker(log, EPOCH, true, 0, TV2)).isInstanceOf(InvalidProducerEpochException.class);
    }

    @Test
    void shouldStartNewEpochAtSequenceZeroAfterBumpingMarker() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        openTxn(log);
        short bumped = (short) (EPOCH + 1);
        writeMarker(log, bumped, false, 0, TV2);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.transactional(PID, EPOCH, 1, T0, "old"), 0))
                .isInstanceOf(InvalidProducerEpochException.class);
        assertThatThrownBy(() -> log.appendAsLeader(Batches.transactional(PID, bumped, 1, T0, "gap"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.appendAsLeader(Batches.transactional(PID, bumped, 0, T0, "next"), 0).firstOffset()).isEqualTo(2);
    }

    @Test
    void shouldFenceMarkerFromStaleCoordinatorEpoch() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        openTxn(log);
        writeMarker(log, EPOCH, true, 5, TV1);
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 1, T0, "t2"), 0);

        assertThatThrownBy(() -> writeMarker(log, EPOCH, false, 4, TV1))
                .isInstanceOf(TransactionCoordinatorFencedException.class);
        assertThat(log.hasOngoingTxn(PID)).isTrue();
        assertThat(log.activeProducers()).singleElement()
                .satisfies(p -> assertThat(p.coordinatorEpoch()).isEqualTo(5))
                .satisfies(p -> assertThat(p.currentTxnStartOffset()).isEqualTo(2));
    }

    @Test
    void shouldCheckOnlyEpochOfCoordinatorDataBatches() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "offset-1"), 0, AppendOrigin.COORDINATOR,
                VerificationGuard.NONE, (short) -1);

        AppendResult again = log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "offset-2"), 0,
                AppendOrigin.COORDINATOR, VerificationGuard.NONE, (short) -1);

        assertThat(again.duplicate()).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThatThrownBy(() -> log.appendAsLeader(Batches.transactional(PID, (short) (EPOCH - 1), 0, T0, "stale"), 0,
                AppendOrigin.COORDINATOR, VerificationGuard.NONE, (short) -1)).isInstanceOf(InvalidProducerEpochException.class);
    }

    @Test
    void shouldRequireVerificationGuardToOpenTransactionWhenEnabled() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.setTransactionVerificationEnabled(true);

        assertThatThrownBy(() -> openTxn(log)).isInstanceOf(InvalidTxnStateException.class);
        VerificationGuard guard = log.startVerification(PID, 0, EPOCH, false);
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "t1"), 0, AppendOrigin.CLIENT, guard, (short) -1);

        assertThat(log.startVerification(PID, 1, EPOCH, false)).isSameAs(VerificationGuard.NONE);
        assertThat(log.appendAsLeader(Batches.transactional(PID, EPOCH, 1, T0, "t2"), 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void shouldVerifyABumpedEpochEvenWhileThePreviousTransactionWaitsForItsMarker() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.setTransactionVerificationEnabled(true);
        VerificationGuard guard = log.startVerification(PID, 0, EPOCH, true);
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "t1"), 0, AppendOrigin.CLIENT, guard, (short) -1);

        // The second protocol's next transaction (epoch + 1) is new: only the coordinator can say it holds this partition.
        assertThat(log.startVerification(PID, 0, (short) (EPOCH + 1), true)).isNotSameAs(VerificationGuard.NONE);
    }

    @Test
    void shouldRefuseUnverifiedBatchOfABumpedEpochWhileThePreviousTransactionWaitsForItsMarker() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.setTransactionVerificationEnabled(true);
        VerificationGuard guard = log.startVerification(PID, 0, EPOCH, true);
        log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "t1"), 0, AppendOrigin.CLIENT, guard, (short) -1);

        // The open transaction is the previous epoch's: it does not vouch for a batch of the next one.
        assertThatThrownBy(() -> log.appendAsLeader(Batches.transactional(PID, (short) (EPOCH + 1), 0, T0, "t2"), 0))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldRefuseGuardThatAMarkerMadeStale() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.setTransactionVerificationEnabled(true);
        VerificationGuard guard = log.startVerification(PID, 0, EPOCH, false);

        writeMarker(log, EPOCH, false, 0, TV1);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.transactional(PID, EPOCH, 0, T0, "late"), 0,
                AppendOrigin.CLIENT, guard, (short) -1)).isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldRefuseSequenceAboveLowestOneWaitingForVerification() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.setTransactionVerificationEnabled(true);
        log.startVerification(PID, 5, EPOCH, false);
        VerificationGuard guard = log.startVerification(PID, 3, EPOCH, false);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.transactional(PID, EPOCH, 5, T0, "t"), 0,
                AppendOrigin.CLIENT, guard, (short) -1)).isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.appendAsLeader(Batches.transactional(PID, EPOCH, 3, T0, "t"), 0, AppendOrigin.CLIENT, guard,
                (short) -1).firstOffset()).isZero();
    }

    @Test
    void shouldRequireSequenceZeroForVerifiedVersionTwoProducerWithoutState() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.setTransactionVerificationEnabled(true);
        VerificationGuard guard = log.startVerification(PID, 3, EPOCH, true);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.transactional(PID, EPOCH, 3, T0, "t"), 0,
                AppendOrigin.CLIENT, guard, (short) -1)).isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldNeverExpireProducerWithOpenTransaction() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withProducerIdExpirationMs(1_000));
        openTxn(log);
        log.appendAsLeader(Batches.idempotent(PID + 1, EPOCH, 0, T0, "idle"), 0);
        clock.advance(10_000);

        assertThat(log.removeExpiredProducers()).isEqualTo(1);

        assertThat(log.hasOngoingTxn(PID)).isTrue();
        LastStableOffsetTest.writeMarker(log, PID, EPOCH, true, 0);
        assertThat(log.lastStableOffset()).isEqualTo(3);
    }
}
