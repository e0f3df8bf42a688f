package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import io.runnel.storage.epoch.EpochEndOffset;
import org.junit.jupiter.api.Test;

class LeaderEpochLogTest extends LogTestBase {

    @Test
    void shouldRecordEpochStartsAndPersistCheckpoint() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a", "b"), 1);
        log.appendAsLeader(Batches.plain(T0, "c"), 1);
        log.appendAsLeader(Batches.plain(T0, "d"), 3);

        assertThat(log.latestEpoch()).isEqualTo(3);
        assertThat(Files.readAllLines(partitionDir().resolve("leader-epoch-checkpoint")))
                .containsExactly("0", "2", "1 0", "3 3");
    }

    @Test
    void shouldAnswerEndOffsetForEpoch() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a", "b"), 1);
        log.appendAsLeader(Batches.plain(T0, "c"), 3);

        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 3));
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 2));
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(1, 2));
        assertThat(log.endOffsetForEpoch(0)).isEqualTo(new EpochEndOffset(0, 0));
        assertThat(log.endOffsetForEpoch(4)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void shouldDropEpochsBeyondTruncatedEndOnRecovery() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 1);
        long goodSize = log.sizeInBytes();
        log.appendAsLeader(Batches.plain(T0, "b"), 2);
        log.close();
        try (var file = new java.io.RandomAccessFile(partitionDir().resolve("00000000000000000000.log").toFile(), "rw")) {
            file.setLength(goodSize + 5);
        }

        PartitionLog recovered = open(LogConfig.defaults(), false, 0);

        assertThat(recovered.latestEpoch()).isEqualTo(1);
        assertThat(recovered.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 1));
    }

    @Test
    void shouldRestoreEpochCacheFromBatchesWhenCheckpointIsLost() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 1);
        log.appendAsLeader(Batches.plain(T0, "b"), 5);
        log.close();
        Files.delete(partitionDir().resolve("leader-epoch-checkpoint"));

        PartitionLog recovered = open(LogConfig.defaults(), false, 0);

        assertThat(recovered.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 1));
        assertThat(recovered.latestEpoch()).isEqualTo(5);
    }
}
