package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class HighWatermarkTest extends LogTestBase {

    private PartitionLog openReplicated(long checkpointedHighWatermark) throws IOException {
        return openReplicated(LogConfig.defaults(), true, 0, checkpointedHighWatermark);
    }

    @Test
    void shouldAdvanceHighWatermarkOnLeaderAppendWithOneReplica() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);

        assertThat(log.isHighWatermarkManagedExternally()).isFalse();
        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void shouldNotAdvanceHighWatermarkOnLeaderAppendWhenManagedExternally() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.setHighWatermarkManagedExternally(true);

        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);

        assertThat(log.highWatermark()).isZero();
    }

    @Test
    void shouldMoveHighWatermarkToLogEndWhenNoLongerManagedExternally() throws Exception {
        PartitionLog log = openReplicated(0);
        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);

        log.setHighWatermarkManagedExternally(false);

        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void shouldBoundHighWatermarkByLogEnd() throws Exception {
        PartitionLog log = openReplicated(0);
        log.appendAsFollower(Batches.replicated(0, 1, "a", "b"));

        assertThat(log.updateHighWatermark(10)).isEqualTo(2);
    }

    @Test
    void shouldNotMoveHighWatermarkBackwards() throws Exception {
        PartitionLog log = openReplicated(0);
        log.appendAsFollower(Batches.replicated(0, 1, "a", "b", "c"));
        log.updateHighWatermark(2);

        assertThat(log.updateHighWatermark(1)).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void shouldStartAtCheckpointedHighWatermarkKeptWithinLog() throws Exception {
        PartitionLog log = openReplicated(0);
        log.appendAsFollower(Batches.replicated(0, 1, "a", "b", "c"));
        log.close();

        assertThat(openReplicated(2).highWatermark()).isEqualTo(2);
    }

    @Test
    void shouldBoundCheckpointedHighWatermarkByLogEnd() throws Exception {
        PartitionLog log = openReplicated(0);
        log.appendAsFollower(Batches.replicated(0, 1, "a"));
        log.close();

        assertThat(openReplicated(7).highWatermark()).isEqualTo(1);
    }

    @Test
    void shouldBoundConsumerReadsByHighWatermark() throws Exception {
        PartitionLog log = openReplicated(0);
        log.appendAsFollower(Batches.replicated(0, 1, "a"));
        log.appendAsFollower(Batches.replicated(1, 1, "b"));
        log.appendAsFollower(Batches.replicated(2, 1, "c"));

        log.updateHighWatermark(2);

        assertThat(Batches.values(log.read(0, 10_000, true))).containsExactly("a", "b");
        assertThat(Batches.values(log.read(0, 10_000, true, FetchIsolation.HIGH_WATERMARK))).containsExactly("a", "b");
        assertThat(log.read(2, 10_000, true).isEmpty()).isTrue();
    }

    @Test
    void shouldBoundReplicaReadsByLogEnd() throws Exception {
        PartitionLog log = openReplicated(0);
        log.appendAsFollower(Batches.replicated(0, 1, "a"));
        log.appendAsFollower(Batches.replicated(1, 1, "b"));
        log.updateHighWatermark(1);

        assertThat(Batches.values(log.read(0, 10_000, true, FetchIsolation.LOG_END))).containsExactly("a", "b");
        assertThat(Batches.values(log.read(1, 10_000, true, FetchIsolation.LOG_END))).containsExactly("b");
    }

    @Test
    void shouldNotDeleteSegmentsAboveHighWatermarkByRetention() throws Exception {
        PartitionLog log = openReplicated(0);
        log.updateConfig(LogConfig.defaults().withSegmentBytes(100).withRetentionMs(1));
        for (int i = 0; i < 4; i++) {
            log.appendAsFollower(Batches.replicated(i, 1, "value-" + i));
        }
        int segments = log.segmentCount();
        clock.advance(24L * 60 * 60 * 1000);

        assertThat(log.deleteOldSegments()).isZero();
        assertThat(log.segmentCount()).isEqualTo(segments);
    }
}
