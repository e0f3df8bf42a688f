package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class IdempotenceTest extends LogTestBase {
    private static final long PID = 1000L;
    private static final short EPOCH = 3;

    @Test
    void shouldReturnOriginalOffsetsForDuplicateAndWriteNothing() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "other"), 0);
        AppendResult original = log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a", "b"), 0);
        long size = log.sizeInBytes();

        AppendResult retry = log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a", "b"), 0);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset()).isEqualTo(1);
        assertThat(retry.lastOffset()).isEqualTo(original.lastOffset()).isEqualTo(2);
        assertThat(log.sizeInBytes()).isEqualTo(size);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void shouldAcceptConsecutiveSequences() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a", "b"), 0);

        AppendResult next = log.appendAsLeader(Batches.idempotent(PID, EPOCH, 2, T0, "c"), 0);

        assertThat(next.duplicate()).isFalse();
        assertThat(next.firstOffset()).isEqualTo(2);
    }

    @Test
    void shouldRejectSequenceGap() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.idempotent(PID, EPOCH, 5, T0, "b"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldAcceptUnknownProducerAtAnySequenceAndContinueFromIt() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        log.appendAsLeader(Batches.idempotent(PID, EPOCH, 3, T0, "a"), 0);

        assertThat(log.appendAsLeader(Batches.idempotent(PID, EPOCH, 4, T0, "b"), 0).firstOffset()).isEqualTo(1);
        assertThatThrownBy(() -> log.appendAsLeader(Batches.idempotent(PID, EPOCH, 6, T0, "c"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void shouldRejectOlderProducerEpoch() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.idempotent(PID, (short) (EPOCH - 1), 1, T0, "b"), 0))
                .isInstanceOf(InvalidProducerEpochException.class);
    }

    @Test
    void shouldRequireNewEpochToStartAtSequenceZero() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.idempotent(PID, (short) (EPOCH + 1), 1, T0, "b"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.appendAsLeader(Batches.idempotent(PID, (short) (EPOCH + 1), 0, T0, "b"), 0).firstOffset())
                .isEqualTo(1);
    }

    @Test
    void shouldDetectDuplicateAfterCleanReopen() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        AppendResult original = log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a"), 0);
        log.close();

        PartitionLog reopened = open(LogConfig.defaults());

        AppendResult retry = reopened.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a"), 0);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset());
    }

    @Test
    void shouldRebuildProducerStateFromLogAfterUncleanReopen() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a"), 0);
        log.appendAsLeader(Batches.idempotent(PID, EPOCH, 1, T0, "b"), 0);
        log.close();
        try (var files = Files.list(partitionDir())) {
            for (var snapshot : files.filter(f -> f.toString().endsWith(".snapshot")).toList()) {
                Files.delete(snapshot);
            }
        }

        PartitionLog reopened = open(LogConfig.defaults(), false, 0);

        assertThat(reopened.appendAsLeader(Batches.idempotent(PID, EPOCH, 1, T0, "b"), 0).duplicate()).isTrue();
        assertThatThrownBy(() -> reopened.appendAsLeader(Batches.idempotent(PID, EPOCH, 3, T0, "d"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(reopened.appendAsLeader(Batches.idempotent(PID, EPOCH, 2, T0, "c"), 0).firstOffset()).isEqualTo(2);
    }

    @Test
    void shouldForgetProducerBatchesTruncatedByRecovery() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a"), 0);
        long goodSize = log.sizeInBytes();
        log.appendAsLeader(Batches.idempotent(PID, EPOCH, 1, T0, "b"), 0);
        log.close();
        try (RandomAccessFile file = new RandomAccessFile(partitionDir().resolve("00000000000000000000.log").toFile(), "rw")) {
            file.setLength(goodSize + 10);
        }

        PartitionLog recovered = open(LogConfig.defaults(), false, 0);

        AppendResult resent = recovered.appendAsLeader(Batches.idempotent(PID, EPOCH, 1, T0, "b"), 0);
        assertThat(resent.duplicate()).isFalse();
        assertThat(resent.firstOffset()).isEqualTo(1);
    }
}
