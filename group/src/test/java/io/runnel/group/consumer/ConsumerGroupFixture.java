package io.runnel.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.GroupConfig;
import io.runnel.group.GroupRegistry;
import io.runnel.group.GroupRequestContext;
import io.runnel.group.runtime.ManualScheduler;
import io.runnel.group.runtime.RecordingWriter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

/** A consumer group manager wired to a manual clock, a recording writer and an in-memory catalog. */
final class ConsumerGroupFixture {

    static final String GROUP = "orders";
    static final int REBALANCE_TIMEOUT_MS = 30_000;

    final ManualScheduler scheduler = new ManualScheduler(1_000_000);
    final RecordingWriter writer = new RecordingWriter();
    final GroupRegistry groups = new GroupRegistry();
    final InMemoryTopicCatalog topics = new InMemoryTopicCatalog();
    final GroupConfig config;
    final ConsumerGroupManager manager;
    short apiVersion = 1;

    ConsumerGroupFixture() {
        this(GroupConfig.defaults());
    }

    ConsumerGroupFixture(GroupConfig config) {
        this.config = config;
        this.manager = new ConsumerGroupManager(groups, scheduler, writer, config, topics,
                new io.runnel.group.classic.ClassicGroupManager(groups, scheduler, writer, config).migration());
    }

    ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        return manager.heartbeat(new GroupRequestContext("client-1", "/127.0.0.1", apiVersion), request);
    }

    TestConsumer consumer(String memberId, String... subscribedTopics) {
        return new TestConsumer(this, memberId, null, Arrays.asList(subscribedTopics));
    }

    TestConsumer staticConsumer(String memberId, String instanceId, String... subscribedTopics) {
        return new TestConsumer(this, memberId, instanceId, Arrays.asList(subscribedTopics));
    }

    ConsumerGroup group() {
        return (ConsumerGroup) groups.get(GROUP);
    }

    /** Heartbeats every consumer round after round until the group is stable; checks no partition is owned twice. */
    void settle(List<TestConsumer> consumers) {
        for (int round = 0; round < 20; round++) {
            for (TestConsumer consumer : consumers) {
                consumer.heartbeat();
                assertNoPartitionOwnedTwice(consumers);
            }
            if (group().state() == ConsumerGroupState.STABLE) {
                return;
            }
        }
        throw new AssertionError("group did not settle: " + group().state());
    }

    static void assertNoPartitionOwnedTwice(List<TestConsumer> consumers) {
        Set<String> seen = new HashSet<>();
        for (TestConsumer consumer : consumers) {
            for (Map.Entry<Uuid, Set<Integer>> entry : consumer.owned.entrySet()) {
                for (int partition : entry.getValue()) {
                    assertThat(seen.add(entry.getKey() + "-" + partition))
                            .as("partition %s-%d owned twice", entry.getKey(), partition).isTrue();
                }
            }
        }
    }
}
