package io.runnel.broker.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorLoaderTest {

    private static final TopicPartition TP = new TopicPartition("__test_state", 3);
    private static final long TIMESTAMP = 1_700_000_000_000L;
    private static final long PRODUCER_ID = 4000;
    private static final short PRODUCER_EPOCH = 2;

    @TempDir
    Path dir;
    private LogManager logs;
    private PartitionLog log;
    private final RecordingShard shard = new RecordingShard();

    @BeforeEach
    void open() throws Exception {
        logs = LogManager.open(List.of(dir), Clock.systemUTC());
        log = logs.getOrCreateLog(TP, Uuid.randomUuid(), LogConfig.defaults(), true);
    }

    @AfterEach
    void close() {
        logs.close();
    }

    @Test
    void shouldReplayATransactionalBatchWithItsProducerAndTheMarkerThatEndsIt() {
        log.appendAsFollower(MemoryRecords.withRecords(0, Compression.NONE, record("a"), record("b")).buffer());
        log.appendAsFollower(MemoryRecords.withTransactionalRecords(2, Compression.NONE, PRODUCER_ID, PRODUCER_EPOCH, 0, 0, record("c")).buffer());
        log.appendAsFollower(MemoryRecords.withEndTransactionMarker(3, TIMESTAMP, 0, PRODUCER_ID, PRODUCER_EPOCH,
                new EndTransactionMarker(ControlRecordType.COMMIT, 5)).buffer());
        log.appendAsFollower(MemoryRecords.withRecords(4, Compression.NONE, record("d")).buffer());

        long loaded = CoordinatorLoader.load(log, TP.partition(), shard);

        assertThat(shard.calls()).containsExactly("replay 3 @0 a pid -1 epoch -1", "replay 3 @1 b pid -1 epoch -1",
                "replay 3 @2 c pid 4000 epoch 2", "commit 3 pid 4000 epoch 2", "replay 3 @4 d pid -1 epoch -1");
        assertThat(loaded).isEqualTo(5);
    }

    @Test
    void shouldReplayAnAbortMarkerAndGoOnPastIt() {
        log.appendAsFollower(MemoryRecords.withTransactionalRecords(0, Compression.NONE, PRODUCER_ID, PRODUCER_EPOCH, 0, 0, record("a")).buffer());
        log.appendAsFollower(MemoryRecords.withEndTransactionMarker(1, TIMESTAMP, 0, PRODUCER_ID, PRODUCER_EPOCH,
                new EndTransactionMarker(ControlRecordType.ABORT, 5)).buffer());
        log.appendAsFollower(MemoryRecords.withRecords(2, Compression.NONE, record("b")).buffer());

        CoordinatorLoader.load(log, TP.partition(), shard);

        assertThat(shard.calls()).containsExactly("replay 3 @0 a pid 4000 epoch 2", "abort 3 pid 4000 epoch 2", "replay 3 @2 b pid -1 epoch -1");
    }

    @Test
    void shouldReadToTheLogEndAboveTheHighWatermark() {
        log.appendAsFollower(MemoryRecords.withRecords(0, Compression.NONE, record("a"), record("b")).buffer());

        assertThat(log.highWatermark()).isZero();
        CoordinatorLoader.load(log, TP.partition(), shard);

        assertThat(shard.calls()).containsExactly("replay 3 @0 a pid -1 epoch -1", "replay 3 @1 b pid -1 epoch -1");
    }

    @Test
    void shouldSkipARecordTheShardCannotReplayAndLoadTheRest() {
        log.appendAsFollower(MemoryRecords.withRecords(0, Compression.NONE, record("a"), record(RecordingShard.UNREADABLE), record("b")).buffer());

        long loaded = CoordinatorLoader.load(log, TP.partition(), shard);

        assertThat(shard.calls()).containsExactly("replay 3 @0 a pid -1 epoch -1", "replay 3 @2 b pid -1 epoch -1");
        assertThat(loaded).isEqualTo(3);
    }

    private static SimpleRecord record(String key) {
        return new SimpleRecord(TIMESTAMP, key.getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8));
    }
}
