package io.runnel.broker.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.SingleBroker;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.Purgatory;
import io.runnel.coordinator.runtime.CoordinatorEventLoop;
import io.runnel.coordinator.runtime.CoordinatorRecord;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.PartitionRegistration;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared runtime on a single broker with a real log and metadata, a manual clock and a recording
 * shard: loading on leadership, a resignation while a partition loads, and an answer whose records
 * could not be replicated.
 */
class CoordinatorRuntimeTest {

    private static final String TOPIC = "__test_state";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private SingleBroker broker;
    private ClusterMetadata controller;
    private PartitionRegistry partitions;
    private ScheduledThreadPoolExecutor timer;
    private CoordinatorLogWriter writer;
    private CoordinatorEventLoop loop;
    private CoordinatorRuntime<BlockingShard> runtime;
    private final BlockingShard shard = new BlockingShard();

    @BeforeEach
    void start() throws Exception {
        broker = SingleBroker.start(dir, CLOCK);
        controller = broker.controller();
        partitions = broker.partitions();
        timer = new ScheduledThreadPoolExecutor(1);
        InternalTopic topic = new InternalTopic(TOPIC, 1, (short) 1, Map.of("cleanup.policy", "compact"), controller, partitions);
        writer = new CoordinatorLogWriter(topic, CLOCK, new Purgatory(timer), 5_000);
        loop = new CoordinatorEventLoop(CLOCK, "runnel-test-coordinator");
        runtime = new CoordinatorRuntime<>(topic, loop, shard, writer);
        runtime.start(partitions);
        topic.ensureExists();
        idle();
    }

    @AfterEach
    void stop() throws Exception {
        runtime.close();
        timer.shutdownNow();
        broker.close();
    }

    @Test
    void shouldLoadAPartitionWhenItComesToLeadItAndReplayWhatWasWritten() {
        runtime.call(s -> writer.append(0, List.of(record("a"), record("b")))).join();
        Partition partition = partitions.partition(TP).orElseThrow();

        runtime.onLeader(partition);
        idle();

        assertThat(shard.calls()).containsExactly("begin 0 of 1 at epoch 0", "complete 0",
                "begin 0 of 1 at epoch 0", "replay 0 @0 a pid -1 epoch -1", "replay 0 @1 b pid -1 epoch -1", "complete 0");
    }

    @Test
    void shouldUnloadAPartitionThatResignedWhileItLoaded() throws Exception {
        runtime.call(s -> writer.append(0, List.of(record("a")))).join();
        shard.blockNextReplay();

        runtime.onLeader(partitions.partition(TP).orElseThrow());
        assertThat(shard.replaying.await(10, TimeUnit.SECONDS)).isTrue();
        runtime.onResigned(TP);
        shard.release.countDown();
        idle();

        assertThat(shard.calls()).endsWith("begin 0 of 1 at epoch 0", "replay 0 @0 a pid -1 epoch -1", "complete 0", "unload 0");
    }

    @Test
    void shouldAnswerNotCoordinatorWhenLeadershipMovesBeforeTheRecordsAreReplicated() {
        assertThatThrownBy(() -> runtime.call(s -> {
            writer.append(0, List.of(record("a")));
            loseLeadership();
            return "written";
        }).join()).isInstanceOf(CompletionException.class).hasCauseInstanceOf(NotCoordinatorException.class);
        idle();

        assertThat(shard.calls()).last().isEqualTo("unload 0");
    }

    /** As the controller would move the partition's leadership away: the registry sees it leaderless. */
    private void loseLeadership() {
        MetadataImage current = controller.image();
        Uuid topicId = current.topic(TOPIC).orElseThrow().id();
        MetadataImage leaderless = current.apply(List.of(new MetadataRecord.PartitionChangeRecord(topicId, 0, PartitionRegistration.NO_LEADER,
                List.of(1), null, null)), current.offset() + 1);
        partitions.onImage(current, leaderless);
    }

    /** Waits until every task queued on the coordinator thread so far has run. */
    private void idle() {
        loop.call(() -> null).join();
    }

    private static CoordinatorRecord record(String key) {
        return new CoordinatorRecord(key.getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8));
    }

    /** A recording shard whose next replay can be held until the test releases it. */
    private static final class BlockingShard extends RecordingShard {

        final CountDownLatch replaying = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private volatile boolean blockNext;

        void blockNextReplay() {
            blockNext = true;
        }

        @Override
        public void replay(int partition, long offset, long producerId, short producerEpoch, ByteBuffer key, ByteBuffer value) {
            super.replay(partition, offset, producerId, producerEpoch, key, value);
            if (blockNext) {
                blockNext = false;
                replaying.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
