package io.runnel.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer's append to a partition whose leadership moved after the request found it leading (found by
 * {@link ReplicationSimulationTest}, seed 3, when the request thread and the metadata thread interleave).
 */
class PartitionLeaderAppendTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;
    private LogManager logs;
    private Partition partition;

    @BeforeEach
    void setUp() throws Exception {
        logs = LogManager.open(List.of(dir), Clock.systemUTC());
        PartitionRegistration leading = new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), 1, 0, 0);
        PartitionLog log = logs.getOrCreateLog(TP, Uuid.randomUuid(), LogConfig.defaults(), true);
        partition = new Partition(TP, log.topicId(), log, 1, new RecordingReplicationContext(30_000), leading);
        partition.update(leading, 1);
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    @Test
    void shouldRefuseAnAppendOnceAnotherReplicaLeads() {
        partition.appendAsLeader(batch("a"), true);
        partition.update(new PartitionRegistration(List.of(1, 2), List.of(2), List.of(), 2, 1, 1), 1);

        assertThatThrownBy(() -> partition.appendAsLeader(batch("b"), true)).isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(partition.log().logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnAppendWhileThePartitionHasNoLeader() {
        partition.update(new PartitionRegistration(List.of(1, 2), List.of(1), List.of(), PartitionRegistration.NO_LEADER, 1, 1), 1);

        assertThatThrownBy(() -> partition.appendAsLeader(batch("a"), false)).isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(partition.log().logEndOffset()).isZero();
    }

    private static ByteBuffer batch(String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(1_700_000_000_000L, null, value.getBytes(StandardCharsets.UTF_8))).buffer();
    }
}
