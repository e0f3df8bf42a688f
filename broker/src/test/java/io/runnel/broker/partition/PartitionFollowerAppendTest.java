package io.runnel.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower's append of what its leader answered (found by {@link ReplicationSimulationTest}, seed 0). */
class PartitionFollowerAppendTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;
    private LogManager logs;
    private Partition follower;

    @BeforeEach
    void setUp() throws Exception {
        logs = LogManager.open(List.of(dir), Clock.systemUTC());
        PartitionRegistration registration = new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), 1, 0, 0);
        PartitionLog log = logs.getOrCreateLog(TP, Uuid.randomUuid(), LogConfig.defaults(), true);
        RecordingReplicationContext context = new RecordingReplicationContext(30_000);
        follower = new Partition(TP, log.topicId(), log, 2, context, registration);
        follower.update(registration, 1);
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    @Test
    void shouldAppendTheWholeBatchesOfAnAnswerCutShortAndTakeTheRestNextTime() {
        ByteBuffer first = batch(0, "a", "b");
        ByteBuffer second = batch(2, "c");
        ByteBuffer answer = ByteBuffer.allocate(first.remaining() + second.remaining() - 5);
        answer.put(first.duplicate()).put(second.duplicate().limit(second.limit() - 5)).flip();

        follower.appendFromLeader(answer, 3, 0);

        assertThat(follower.log().logEndOffset()).isEqualTo(2);
        assertThat(follower.log().highWatermark()).isEqualTo(2);

        follower.appendFromLeader(second, 3, 0);

        assertThat(follower.log().logEndOffset()).isEqualTo(3);
        assertThat(follower.log().highWatermark()).isEqualTo(3);
    }

    @Test
    void shouldTakeTheHighWatermarkOfAnAnswerHoldingOnlyPartOfABatch() {
        ByteBuffer first = batch(0, "a", "b");
        follower.appendFromLeader(first.duplicate(), 0, 0);
        ByteBuffer second = batch(2, "c");

        follower.appendFromLeader(second.duplicate().limit(20), 2, 0);

        assertThat(follower.log().logEndOffset()).isEqualTo(2);
        assertThat(follower.log().highWatermark()).isEqualTo(2);
    }

    private static ByteBuffer batch(long baseOffset, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1_700_000_000_000L, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(baseOffset, Compression.NONE, 0, records).buffer();
    }
}
