package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;

import io.runnel.storage.epoch.EpochEndOffset;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;

class TruncationTest extends LogTestBase {
    private static final LogConfig SMALL_SEGMENTS = LogConfig.defaults().withSegmentBytes(150).withIndexIntervalBytes(1);

    /** A follower log of {@code count} one-record batches, offsets 0 to count - 1, epoch 1 up to 4 and 2 from 5. */
    private PartitionLog followerLog(LogConfig config, int count) throws Exception {
        PartitionLog log = openReplicated(config, true, 0, 0);
        for (int i = 0; i < count; i++) {
            log.appendAsFollower(Batches.replicated(i, i < 5 ? 1 : 2, "value-" + i));
        }
        return log;
    }

    @Test
    void shouldEmptyTheLogAndStartAgainAtALaterOffsetSurvivingARestart() throws Exception {
        PartitionLog log = followerLog(SMALL_SEGMENTS, 10);

        log.truncateFullyAndStartAt(100);
        log.appendAsFollower(Batches.replicated(100, 7, "after-the-gap"));

        assertThat(log.logStartOffset()).isEqualTo(100);
        assertThat(log.logEndOffset()).isEqualTo(101);
        assertThat(log.latestEpoch()).isEqualTo(7);
        assertThat(log.endOffsetForEpoch(2).endOffset()).isLessThanOrEqualTo(100);
        assertThat(Batches.values(log.read(100, 10_000, true, FetchIsolation.LOG_END))).containsExactly("after-the-gap");
        log.close();
        PartitionLog reopened = openReplicated(SMALL_SEGMENTS, false, 0, 0);
        assertThat(reopened.logStartOffset()).isEqualTo(100);
        assertThat(reopened.logEndOffset()).isEqualTo(101);
    }

    @Test
    void shouldTruncateInsideActiveSegmentAndAppendAgain() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 6);

        assertThat(log.truncateTo(3)).isTrue();
        log.appendAsFollower(Batches.replicated(3, 3, "new-3"));

        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(Batches.values(log.read(0, 10_000, true, FetchIsolation.LOG_END)))
                .containsExactly("value-0", "value-1", "value-2", "new-3");
    }

    @Test
    void shouldTruncateAcrossSegmentsAndAppendAgain() throws Exception {
        PartitionLog log = followerLog(SMALL_SEGMENTS, 10);
        assertThat(log.segmentCount()).isGreaterThan(2);

        log.truncateTo(3);
        log.appendAsFollower(Batches.replicated(3, 3, "new-3"));
        log.appendAsFollower(Batches.replicated(4, 3, "new-4"));

        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.segmentsSnapshot().get(log.segmentCount() - 1).baseOffset()).isLessThanOrEqualTo(4);
        assertThat(Batches.offsets(log.read(3, 10_000, true, FetchIsolation.LOG_END))).startsWith(3L);
        assertThat(Batches.values(log.read(4, 10_000, true, FetchIsolation.LOG_END))).contains("new-4");
    }

    @Test
    void shouldRemoveLaterSegmentFilesAfterDeleteDelay() throws Exception {
        PartitionLog log = followerLog(SMALL_SEGMENTS, 10);
        int before = log.segmentCount();

        log.truncateTo(3);
        runPendingDeletions();

        assertThat(log.segmentCount()).isLessThan(before);
        try (var files = Files.list(partitionDir())) {
            assertThat(files.filter(f -> f.toString().endsWith(".log")).count()).isEqualTo(log.segmentCount());
        }
    }

    @Test
    void shouldSurviveCleanReopenAfterTruncation() throws Exception {
        PartitionLog log = followerLog(SMALL_SEGMENTS, 10);
        log.truncateTo(3);
        log.close();

        PartitionLog reopened = openReplicated(SMALL_SEGMENTS, true, 3, 0);

        assertThat(reopened.logEndOffset()).isEqualTo(3);
        // a read returns one segment's batches: the last one left holds offset 2
        assertThat(Batches.values(reopened.read(2, 10_000, true, FetchIsolation.LOG_END))).containsExactly("value-2");
    }

    @Test
    void shouldRecoverConsistentLogAfterCrashFollowingTruncation() throws Exception {
        PartitionLog log = followerLog(SMALL_SEGMENTS, 10);
        log.flush();
        log.truncateTo(7);
        // a crash: the log is not closed, the checkpointed recovery point is the one before truncation
        PartitionLog recovered = openReplicated(SMALL_SEGMENTS, false, 10, 0);

        assertThat(recovered.logEndOffset()).isEqualTo(7);
        assertThat(recovered.latestEpoch()).isEqualTo(2);
        assertThat(recovered.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 7));
    }

    @Test
    void shouldForgetEpochsFromTruncationOffset() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 8);

        log.truncateTo(5);

        assertThat(log.latestEpoch()).isEqualTo(1);
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 5));
        assertThat(Files.readAllLines(partitionDir().resolve("leader-epoch-checkpoint"))).containsExactly("0", "1", "1 0");
    }

    @Test
    void shouldKeepEpochStartingBeforeTruncationOffset() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 8);

        log.truncateTo(6);

        assertThat(log.latestEpoch()).isEqualTo(2);
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 5));
    }

    @Test
    void shouldLowerHighWatermarkAndRecoveryPoint() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 6);
        log.updateHighWatermark(5);
        log.flush();

        log.truncateTo(2);

        assertThat(log.highWatermark()).isEqualTo(2);
        assertThat(log.recoveryPoint()).isEqualTo(2);
        assertThat(Batches.values(log.read(0, 10_000, true))).containsExactly("value-0", "value-1");
    }

    @Test
    void shouldForgetProducerBatchesTruncated() throws Exception {
        PartitionLog log = openReplicated(LogConfig.defaults(), true, 0, 0);
        log.appendAsFollower(Batches.replicatedIdempotent(0, 1, 7L, (short) 0, 0, "a"));
        log.appendAsFollower(Batches.replicatedIdempotent(1, 1, 7L, (short) 0, 1, "b"));

        log.truncateTo(1);
        AppendResult resent = log.appendAsLeader(Batches.idempotent(7L, (short) 0, 1, T0, "b"), 2);

        assertThat(resent.duplicate()).isFalse();
        assertThat(resent.firstOffset()).isEqualTo(1);
    }

    @Test
    void shouldRestoreProducerStateFromSnapshotAndSegments() throws Exception {
        PartitionLog log = openReplicated(SMALL_SEGMENTS, true, 0, 0);
        for (int seq = 0; seq < 8; seq++) {
            log.appendAsFollower(Batches.replicatedIdempotent(seq, 1, 7L, (short) 0, seq, "v" + seq));
        }

        log.truncateTo(5);

        assertThat(log.appendAsLeader(Batches.idempotent(7L, (short) 0, 4, T0, "v4"), 2).duplicate()).isTrue();
        assertThat(log.appendAsLeader(Batches.idempotent(7L, (short) 0, 5, T0, "v5"), 2).firstOffset()).isEqualTo(5);
    }

    @Test
    void shouldCutWholeBatchWhenOffsetIsInsideIt() throws Exception {
        PartitionLog log = openReplicated(LogConfig.defaults(), true, 0, 0);
        log.appendAsFollower(Batches.replicated(0, 1, "a"));
        log.appendAsFollower(Batches.replicated(1, 1, "b", "c", "d"));

        log.truncateTo(2);

        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldChangeNothingAtOrAboveLogEnd() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 3);

        assertThat(log.truncateTo(3)).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void shouldForgetAnEpochStartedAtTheLogEndWhenTruncatedThere() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 3);
        log.assignEpochStartOffset(4, 3);

        assertThat(log.truncateTo(3)).isFalse();

        assertThat(log.latestEpoch()).isEqualTo(1);
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 3));
        assertThat(Files.readAllLines(partitionDir().resolve("leader-epoch-checkpoint"))).containsExactly("0", "1", "1 0");
    }

    @Test
    void shouldKeepTheEpochsOfRecordsWhenTruncatedAtTheLogEnd() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 7);

        log.truncateTo(9);

        assertThat(log.latestEpoch()).isEqualTo(2);
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 7));
    }

    @Test
    void shouldRefuseTruncationBelowLogStart() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 3);
        log.updateHighWatermark(3);
        log.advanceLogStartOffset(2);

        assertThatThrownBy(() -> log.truncateTo(1)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldAssignEpochStartAtElection() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 3);

        log.assignEpochStartOffset(4, log.logEndOffset());

        assertThat(log.latestEpoch()).isEqualTo(4);
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 3));
        assertThat(log.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(4, 3));
    }

    @Test
    void shouldKeepElectionEpochStartOnFirstLeaderAppend() throws Exception {
        PartitionLog log = followerLog(LogConfig.defaults(), 3);
        log.assignEpochStartOffset(4, 3);

        log.appendAsLeader(Batches.plain(T0, "x"), 4);

        assertThat(Files.readAllLines(partitionDir().resolve("leader-epoch-checkpoint"))).containsExactly("0", "2", "1 0", "4 3");
    }
}
