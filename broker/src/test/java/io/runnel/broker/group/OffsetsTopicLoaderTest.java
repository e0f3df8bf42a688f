package io.runnel.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.GroupConfig;
import io.runnel.group.GroupCoordinator;
import io.runnel.group.GroupRequestContext;
import io.runnel.group.TopicCatalog;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordSerde;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.Scheduler;
import io.runnel.protocol.KeyValueRecords;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a {@code __consumer_offsets} partition into the group coordinator as a newly elected leader. */
class OffsetsTopicLoaderTest {

    private static final TopicPartition OFFSETS = new TopicPartition(OffsetsTopic.NAME, 0);
    private static final String GROUP = "payments";
    private static final String TOPIC = "orders";
    private static final long NOW_MS = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private LogManager logs;
    private PartitionLog offsetsLog;
    private GroupCoordinator coordinator;

    @BeforeEach
    void open() throws Exception {
        logs = LogManager.open(List.of(dir), Clock.systemUTC());
        // replicated: the high watermark moves only as the leader learns its followers' progress
        offsetsLog = logs.getOrCreateLog(OFFSETS, Uuid.randomUuid(), LogConfig.defaults(), true);
        GroupConfig config = new GroupConfig(1, 60_000, 10_000, 4096, 6000, 300_000, 3000, 100,
                45_000, 45_000, 60_000, 5000, 100, List.of("uniform", "range"));
        coordinator = new GroupCoordinator(config, new IdleScheduler(), (groupId, records) -> { }, new NoTopics(), 1);
    }

    @AfterEach
    void close() {
        logs.close();
    }

    /**
     * A replica just elected leader has the old leader's last commits above its own high watermark,
     * which it learns only from its followers' next fetches; the old leader may have acknowledged them.
     */
    @Test
    void shouldLoadTheCommitsAboveTheHighWatermarkOfANewLeader() {
        offsetsLog.appendAsFollower(commit(0, 10));
        offsetsLog.appendAsFollower(commit(1, 20));
        offsetsLog.updateHighWatermark(1);

        coordinator.beginLoading(OFFSETS.partition());
        long loaded = OffsetsTopicLoader.load(offsetsLog, coordinator);
        coordinator.completeLoading(OFFSETS.partition());

        assertThat(loaded).isEqualTo(2);
        var fetched = coordinator.offsetFetch(new GroupRequestContext("client", "/127.0.0.1", (short) 9),
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC).setPartitionIndexes(List.of(0)))));
        assertThat(fetched.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetched.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(20);
    }

    /** One offset commit of {@link #GROUP} for partition 0 of {@link #TOPIC}, as a batch at {@code baseOffset} of the offsets log. */
    private static ByteBuffer commit(long baseOffset, long committed) {
        byte[] key = GroupRecordSerde.serializeKey(new GroupRecordKey.Offset(GROUP, TOPIC, 0));
        byte[] value = GroupRecordSerde.serializeValue(new GroupRecordValue.Offset(committed, -1, "", NOW_MS, -1));
        ByteBuffer batch = KeyValueRecords.batch(NOW_MS, List.of(new KeyValueRecords.KeyValue(key, value)));
        batch.putLong(batch.position(), baseOffset);
        return batch;
    }

    /** Nothing runs on a timer in this test. */
    private static final class IdleScheduler implements Scheduler {
        @Override
        public long nowMs() {
            return NOW_MS;
        }

        @Override
        public void schedule(String key, long delayMs, Runnable task) {
        }

        @Override
        public void cancel(String key) {
        }

        @Override
        public boolean isScheduled(String key) {
            return false;
        }
    }

    /** A cluster with no topics: offsets are kept for any topic name. */
    private static final class NoTopics implements TopicCatalog {
        @Override
        public TopicInfo topic(String name) {
            return null;
        }

        @Override
        public TopicInfo topic(Uuid id) {
            return null;
        }

        @Override
        public Collection<TopicInfo> topics() {
            return List.of();
        }
    }
}
