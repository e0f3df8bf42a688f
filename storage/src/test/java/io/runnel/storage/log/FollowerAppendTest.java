package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;

import io.runnel.storage.epoch.EpochEndOffset;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class FollowerAppendTest extends LogTestBase {
    private static final long PID = 2000L;
    private static final short EPOCH = 1;

    @Test
    void shouldKeepLeaderOffsetsAndEpochs() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        AppendResult result = log.appendAsFollower(Batches.concat(Batches.replicated(0, 3, "a", "b"),
                Batches.replicated(2, 5, "c")));

        assertThat(result.firstOffset()).isZero();
        assertThat(result.lastOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(Batches.batches(log.read(0, 10_000, true, FetchIsolation.LOG_END)))
                .extracting(RecordBatch::baseOffset, RecordBatch::partitionLeaderEpoch)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 3), org.assertj.core.groups.Tuple.tuple(2L, 5));
    }

    @Test
    void shouldRecordEachNewLeaderEpochAtItsFirstBatch() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        log.appendAsFollower(Batches.concat(Batches.replicated(0, 3, "a", "b"), Batches.replicated(2, 5, "c")));
        log.appendAsFollower(Batches.replicated(3, 5, "d"));

        assertThat(log.latestEpoch()).isEqualTo(5);
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 2));
        assertThat(Files.readAllLines(partitionDir().resolve("leader-epoch-checkpoint"))).containsExactly("0", "2", "3 0", "5 2");
    }

    @Test
    void shouldNotMoveHighWatermark() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        log.appendAsFollower(Batches.replicated(0, 1, "a", "b"));

        assertThat(log.highWatermark()).isZero();
        assertThat(log.read(0, 10_000, true).isEmpty()).isTrue();
    }

    @Test
    void shouldRefuseGapAfterLogEndAndAppendNothing() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsFollower(Batches.replicated(0, 1, "a"));
        long size = log.sizeInBytes();

        assertThatThrownBy(() -> log.appendAsFollower(Batches.replicated(5, 1, "b")))
                .isInstanceOfSatisfying(UnexpectedAppendOffsetException.class, e -> {
                    assertThat(e.expectedOffset()).isEqualTo(1);
                    assertThat(e.actualOffset()).isEqualTo(5);
                });
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(log.sizeInBytes()).isEqualTo(size);
    }

    @Test
    void shouldRefuseOverlapWithLogAndAppendNothing() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsFollower(Batches.replicated(0, 1, "a", "b"));
        long size = log.sizeInBytes();

        assertThatThrownBy(() -> log.appendAsFollower(Batches.replicated(1, 1, "b", "c")))
                .isInstanceOf(UnexpectedAppendOffsetException.class);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.sizeInBytes()).isEqualTo(size);
    }

    @Test
    void shouldRefuseOverlappingBatchesInOneRequestAndAppendNothing() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        assertThatThrownBy(() -> log.appendAsFollower(Batches.concat(Batches.replicated(0, 1, "a", "b"),
                Batches.replicated(1, 1, "c"))))
                .isInstanceOf(UnexpectedAppendOffsetException.class);
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void shouldRefuseCorruptBatch() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        var batch = Batches.replicated(0, 1, "a");
        batch.put(batch.limit() - 1, (byte) (batch.get(batch.limit() - 1) ^ 1));

        assertThatThrownBy(() -> log.appendAsFollower(batch)).isInstanceOf(CorruptRecordException.class);
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void shouldUpdateProducerStateSoALaterLeaderDedupsRetries() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsFollower(Batches.replicatedIdempotent(0, 1, PID, EPOCH, 0, "a", "b"));

        AppendResult retry = log.appendAsLeader(Batches.idempotent(PID, EPOCH, 0, T0, "a", "b"), 2);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void shouldNotCheckProducerSequences() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsFollower(Batches.replicatedIdempotent(0, 1, PID, EPOCH, 0, "a"));

        AppendResult result = log.appendAsFollower(Batches.replicatedIdempotent(1, 1, PID, EPOCH, 7, "b"));

        assertThat(result.lastOffset()).isEqualTo(1);
    }

    @Test
    void shouldRollSegmentsAndIndexAsLeaderAppendsDo() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(200).withIndexIntervalBytes(1));

        for (int i = 0; i < 6; i++) {
            log.appendAsFollower(Batches.replicated(i, 1, "value-" + i));
        }

        assertThat(log.segmentCount()).isGreaterThan(1);
        assertThat(Batches.values(log.read(4, 10_000, true, FetchIsolation.LOG_END))).startsWith("value-4");
    }
}
