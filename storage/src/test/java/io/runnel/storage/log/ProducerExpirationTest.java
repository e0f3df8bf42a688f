package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

import io.runnel.storage.producer.ProducerEntry;
import io.runnel.storage.producer.ProducerSnapshotFile;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class ProducerExpirationTest extends LogTestBase {
    private static final long IDLE = 1000L;
    private static final long ACTIVE = 2000L;
    private static final short EPOCH = 0;
    private static final long EXPIRATION_MS = 60_000;
    private static final LogConfig CONFIG = LogConfig.defaults().withProducerIdExpirationMs(EXPIRATION_MS);

    @Test
    void shouldDefaultToKafkasOneDay() {
        assertThat(LogConfig.defaults().producerIdExpirationMs()).isEqualTo(86_400_000L);
    }

    @Test
    void shouldForgetProducerIdlePastExpiration() throws Exception {
        PartitionLog log = open(CONFIG);
        log.appendAsLeader(Batches.idempotent(IDLE, EPOCH, 0, T0, "a"), 0);
        clock.advance(EXPIRATION_MS);

        assertThat(log.removeExpiredProducers()).isEqualTo(1);

        AppendResult restarted = log.appendAsLeader(Batches.idempotent(IDLE, EPOCH, 57, T0, "b"), 0);
        assertThat(restarted.duplicate()).isFalse();
        assertThat(restarted.firstOffset()).isEqualTo(1);
    }

    @Test
    void shouldKeepProducerThatAppendedWithinExpiration() throws Exception {
        PartitionLog log = open(CONFIG);
        log.appendAsLeader(Batches.idempotent(IDLE, EPOCH, 0, T0, "a"), 0);
        log.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 0, T0, "b"), 0);
        clock.advance(EXPIRATION_MS / 2);
        // the client's timestamp is old, but the producer appended just now
        log.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 1, T0, "c"), 0);
        clock.advance(EXPIRATION_MS / 2);

        assertThat(log.removeExpiredProducers()).isEqualTo(1);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 57, T0, "d"), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 1, T0, "c"), 0).duplicate()).isTrue();
    }

    @Test
    void shouldLeaveExpiredProducerOutOfLaterSnapshots() throws Exception {
        PartitionLog log = open(CONFIG);
        log.appendAsLeader(Batches.idempotent(IDLE, EPOCH, 0, T0, "a"), 0);
        clock.advance(EXPIRATION_MS);
        log.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 0, T0, "b"), 0);
        log.removeExpiredProducers();

        log.close();

        assertThat(ProducerSnapshotFile.read(latestSnapshot())).extracting(ProducerEntry::producerId)
                .containsExactly(ACTIVE);
        PartitionLog reopened = open(CONFIG);
        assertThat(reopened.appendAsLeader(Batches.idempotent(IDLE, EPOCH, 57, T0, "c"), 0).firstOffset())
                .isEqualTo(2);
    }

    @Test
    void shouldNotReviveProducerThatExpiredWhileClosed() throws Exception {
        PartitionLog log = open(CONFIG);
        log.appendAsLeader(Batches.idempotent(IDLE, EPOCH, 0, T0, "a"), 0);
        log.close();
        clock.advance(EXPIRATION_MS);

        PartitionLog reopened = open(CONFIG);

        assertThat(reopened.appendAsLeader(Batches.idempotent(IDLE, EPOCH, 57, T0, "b"), 0).duplicate()).isFalse();
    }

    @Test
    void shouldKeepProducerWithOldCreateTimeAcrossUncleanReopen() throws Exception {
        LogConfig config = LogConfig.defaults();
        long twoDaysAgo = T0 - 2 * config.producerIdExpirationMs();
        PartitionLog log = open(config);
        AppendResult first = log.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 0, twoDaysAgo, "a"), 0);
        crash(log);
        clock.advance(1000);

        PartitionLog reopened = open(config, false, 0);
        AppendResult retry = reopened.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 0, twoDaysAgo, "a"), 0);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(first.firstOffset());
        assertThat(retry.lastOffset()).isEqualTo(first.lastOffset());
        assertThat(reopened.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldKeepProducerWithoutTimestampsAcrossUncleanReopen() throws Exception {
        PartitionLog log = open(CONFIG);
        log.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 0, -1L, "a"), 0);
        crash(log);

        PartitionLog reopened = open(CONFIG, false, 0);

        assertThat(reopened.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 0, -1L, "a"), 0).duplicate()).isTrue();
        assertThat(reopened.logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldMeasureExpirationOfReplayedProducerFromLoadTime() throws Exception {
        PartitionLog log = open(CONFIG);
        log.appendAsLeader(Batches.idempotent(ACTIVE, EPOCH, 0, T0 - 10 * EXPIRATION_MS, "a"), 0);
        crash(log);
        PartitionLog reopened = open(CONFIG, false, 0);

        clock.advance(EXPIRATION_MS - 1);
        assertThat(reopened.removeExpiredProducers()).isZero();
        clock.advance(1);
        assertThat(reopened.removeExpiredProducers()).isEqualTo(1);
    }

    /** Stops using the log's files as a crash would: nothing flushed, no producer snapshot written. */
    private static void crash(PartitionLog log) throws Exception {
        log.markDeleted();
        log.closeFiles();
    }

    private Path latestSnapshot() throws Exception {
        try (var files = Files.list(partitionDir())) {
            return files.filter(f -> ProducerSnapshotFile.offsetOf(f) >= 0)
                    .max(Comparator.comparingLong(ProducerSnapshotFile::offsetOf)).orElseThrow();
        }
    }
}
