package io.runnel.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A real consumer in a group, polling on its own thread (a KafkaConsumer is single-threaded): it
 * subscribes, keeps every record it receives, and commits synchronously after each non-empty poll.
 * The test thread reads its assignment and records, and ends it by leaving the group or by
 * vanishing without a word (as a crashed process would).
 */
public final class GroupMember implements AutoCloseable {

    /** How the consumer speaks to the coordinator. */
    public enum Protocol {
        CLASSIC_RANGE(Map.of("group.protocol", "classic", "partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.RangeAssignor")),
        CLASSIC_COOPERATIVE(Map.of("group.protocol", "classic", "partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")),
        CONSUMER(Map.of("group.protocol", "consumer"));

        private final Map<String, Object> config;

        Protocol(Map<String, Object> config) {
            this.config = config;
        }

        /** The consumer settings selecting this protocol. */
        public Map<String, Object> config() {
            return config;
        }
    }

    private final String name;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
    private final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger assignments = new AtomicInteger();
    private volatile CloseOptions.GroupMembershipOperation ending;
    private boolean uncommitted;

    private GroupMember(String name, KafkaConsumer<String, String> consumer, String topic) {
        this.name = name;
        this.consumer = consumer;
        this.thread = new Thread(() -> run(topic), "group-member-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts a member of {@code groupId} subscribed to {@code topic}. */
    public static GroupMember start(String bootstrapServers, String groupId, String topic, Protocol protocol, String name,
                                    Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(protocol.config());
        config.put("group.id", groupId);
        config.put("client.id", name);
        if (protocol != Protocol.CONSUMER) {
            config.put("heartbeat.interval.ms", "500");
        }
        config.putAll(overrides);
        GroupMember member = new GroupMember(name, KafkaClients.consumer(bootstrapServers, config), topic);
        member.thread.start();
        return member;
    }

    private void run(String topic) {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assignments.incrementAndGet();
                }
            });
            while (ending == null) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                synchronized (consumed) {
                    records.forEach(consumed::add);
                }
                if (!records.isEmpty()) {
                    uncommitted = true;
                }
                if (uncommitted) {
                    // Also after an empty poll: a commit refused during a rebalance is retried.
                    uncommitted = !commit();
                }
                assignment.set(Set.copyOf(consumer.assignment()));
            }
        } catch (WakeupException e) {
            // ending
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            consumer.close(CloseOptions.groupMembershipOperation(ending == null ? CloseOptions.GroupMembershipOperation.DEFAULT : ending));
        }
    }

    /** Commits what was polled; false if a rebalance refused it. */
    private boolean commit() {
        try {
            consumer.commitSync();
            return true;
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The partitions may have moved; their new owner resumes from the last successful commit.
            return false;
        }
    }

    /**
     * Waits until the members, without failing, own every one of {@code partitions} partitions between
     * them, each as many as the others within one.
     */
    public static void awaitBalanced(List<GroupMember> group, int partitions, Duration timeout) {
        await().atMost(timeout).untilAsserted(() -> {
            Set<TopicPartition> union = new HashSet<>();
            for (GroupMember member : group) {
                assertThat(member.failure()).as("failure of %s", member.name()).isNull();
                assertThat(member.assignment().size()).as(member.name())
                        .isBetween(partitions / group.size(), (partitions + group.size() - 1) / group.size());
                union.addAll(member.assignment());
            }
            assertThat(union).hasSize(partitions);
        });
    }

    /** The member's name (its client id). */
    public String name() {
        return name;
    }

    /** The partitions assigned after the latest poll. */
    public Set<TopicPartition> assignment() {
        return assignment.get();
    }

    /** Every record received so far. */
    public List<ConsumerRecord<String, String>> consumed() {
        synchronized (consumed) {
            return List.copyOf(consumed);
        }
    }

    /** How many times the consumer's rebalance listener was told of assigned partitions (once per rebalance it took part in). */
    public int assignmentsReceived() {
        return assignments.get();
    }

    /** A failure that ended the poll loop, or null. */
    public Throwable failure() {
        return failure.get();
    }

    /** Stops polling and leaves the group (LeaveGroup, or a leave heartbeat). */
    @Override
    public void close() {
        end(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
    }

    /** Stops polling and closes without telling the coordinator, as a killed process would. */
    public void vanish() {
        end(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
    }

    private void end(CloseOptions.GroupMembershipOperation operation) {
        if (ending == null) {
            ending = operation;
            consumer.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
