package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.GroupMember;
import io.runnel.it.support.GroupMember.Protocol;
import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Consumer groups through real consumers, with each protocol a Kafka 4 client speaks: the classic
 * one with an eager and a cooperative assignor, and KIP-848's consumer protocol. A 6-partition topic
 * is divided among the members; membership changes move partitions without losing or re-reading
 * committed records; groups are independent.
 */
class ConsumerGroupIT {

    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 6;
    private static final Duration REBALANCED = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private final List<GroupMember> members = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "1000",
                "group.consumer.min.session.timeout.ms", "1000",
                "group.consumer.session.timeout.ms", "3000",
                "group.consumer.heartbeat.interval.ms", "500",
                "group.consumer.min.heartbeat.interval.ms", "100",
                "offsets.topic.num.partitions", "5"));
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
    }

    @AfterEach
    void stopEverything() {
        members.forEach(GroupMember::close);
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldGiveThreeMembersTwoPartitionsEach(Protocol protocol) {
        List<GroupMember> group = join("three", protocol, 3);

        awaitBalanced(group, 2);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldMoveAClosedMembersPartitionsWithNothingLostOrReadTwice(Protocol protocol) {
        List<GroupMember> group = join("handover", protocol, 3);
        awaitBalanced(group, 2);
        Set<String> sent = new HashSet<>(produce(0, 600));
        awaitConsumed(group, sent);
        awaitCommitted("handover", sent.size());

        group.get(0).close();
        List<GroupMember> remaining = group.subList(1, 3);
        awaitBalanced(remaining, 3);
        sent.addAll(produce(600, 600));

        awaitConsumed(group, sent);
        List<String> values = values(group);
        assertThat(values).as("every record exactly once").hasSize(sent.size()).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldLeaveMembersBeyondThePartitionCountIdle(Protocol protocol) {
        List<GroupMember> group = join("crowd", protocol, 7);

        await().atMost(REBALANCED).untilAsserted(() -> {
            assertThat(group.stream().map(m -> m.assignment().size()).collect(Collectors.toList()))
                    .containsExactlyInAnyOrder(1, 1, 1, 1, 1, 1, 0);
            assertThat(union(group)).hasSize(PARTITIONS);
        });
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldRebalanceAfterTheSessionTimeoutWhenAMemberVanishes(Protocol protocol) {
        List<GroupMember> group = join("vanishing", protocol, 3, Map.of("session.timeout.ms", "3000"));
        awaitBalanced(group, 2);

        group.get(2).vanish();

        awaitBalanced(group.subList(0, 2), 3);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldResumeANewMemberAtTheCommittedOffsets(Protocol protocol) {
        GroupMember first = join("resume", protocol, 1).get(0);
        Set<String> firstHalf = new HashSet<>(produce(0, 300));
        awaitConsumed(List.of(first), firstHalf);
        awaitCommitted("resume", firstHalf.size());
        first.close();
        Set<String> secondHalf = new HashSet<>(produce(300, 300));

        GroupMember second = join("resume", protocol, 1).get(0);

        awaitConsumed(List.of(second), secondHalf);
        assertThat(values(List.of(second))).as("only what the first member had not committed")
                .containsExactlyInAnyOrderElementsOf(secondHalf);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldLetASecondGroupReadEverythingWithoutDisturbingTheFirst(Protocol protocol) throws Exception {
        List<GroupMember> first = join("first", protocol, 2);
        awaitBalanced(first, 3);
        Set<String> sent = new HashSet<>(produce(0, 400));
        awaitConsumed(first, sent);
        Map<TopicPartition, OffsetAndMetadata> committedBefore = committed("first");

        List<GroupMember> second = join("second", protocol, 1);

        awaitConsumed(second, sent);
        assertThat(values(second)).hasSize(sent.size());
        assertThat(committed("first")).isEqualTo(committedBefore);
        assertThat(first.stream().mapToInt(m -> m.assignment().size()).sum()).isEqualTo(PARTITIONS);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldDescribeMembersAssignmentsAndLag(Protocol protocol) throws Exception {
        List<GroupMember> group = join("described", protocol, 2);
        awaitBalanced(group, 3);
        Set<String> sent = new HashSet<>(produce(0, 120));
        awaitConsumed(group, sent);
        awaitCommitted("described", sent.size());
        group.forEach(GroupMember::close);

        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            produce(120, 60);
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("described")).all().get().get("described");
            assertThat(description.groupState()).isEqualTo(GroupState.EMPTY);
            Map<TopicPartition, OffsetAndMetadata> committed = committed("described");
            Map<TopicPartition, Long> ends = new java.util.HashMap<>();
            for (var entry : admin.listOffsets(committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get().entrySet()) {
                ends.put(entry.getKey(), entry.getValue().offset());
            }
            long lag = committed.entrySet().stream().mapToLong(e -> ends.get(e.getKey()) - e.getValue().offset()).sum();
            assertThat(committed).hasSize(PARTITIONS);
            assertThat(lag).isEqualTo(60);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldDescribeAStableGroupsMembers(Protocol protocol) throws Exception {
        List<GroupMember> group = join("stable", protocol, 2);
        awaitBalanced(group, 3);

        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            await().atMost(REBALANCED).untilAsserted(() -> {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("stable")).all().get().get("stable");
                assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(description.members()).extracting(MemberDescription::clientId)
                        .containsExactlyInAnyOrder("stable-0", "stable-1");
                Set<TopicPartition> described = new HashSet<>();
                description.members().forEach(m -> described.addAll(m.assignment().topicPartitions()));
                assertThat(described).hasSize(PARTITIONS);
            });
        }
    }

    private List<GroupMember> join(String groupId, Protocol protocol, int count) {
        return join(groupId, protocol, count, Map.of());
    }

    private List<GroupMember> join(String groupId, Protocol protocol, int count, Map<String, Object> overrides) {
        Map<String, Object> config = new java.util.HashMap<>(overrides);
        if (protocol == Protocol.CONSUMER) {
            config.remove("session.timeout.ms");
        }
        List<GroupMember> joined = new ArrayList<>();
        int first = (int) members.stream().filter(m -> m.name().startsWith(groupId + "-")).count();
        for (int i = 0; i < count; i++) {
            GroupMember member = GroupMember.start(broker.bootstrapServers(), groupId, TOPIC, protocol, groupId + "-" + (first + i), config);
            joined.add(member);
            members.add(member);
        }
        return joined;
    }

    private static void awaitBalanced(List<GroupMember> group, int partitionsEach) {
        await().atMost(REBALANCED).untilAsserted(() -> {
            group.forEach(m -> assertThat(m.failure()).as("failure of %s", m.name()).isNull());
            assertThat(group).allSatisfy(m -> assertThat(m.assignment()).as(m.name()).hasSize(partitionsEach));
            assertThat(union(group)).hasSize(PARTITIONS);
        });
    }

    private static Set<TopicPartition> union(List<GroupMember> group) {
        Set<TopicPartition> all = new HashSet<>();
        group.forEach(m -> all.addAll(m.assignment()));
        return all;
    }

    private List<String> produce(int from, int count) {
        List<String> values = IntStream.range(from, from + count).mapToObj(i -> "record-" + i).collect(Collectors.toList());
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, value, value));
            }
        }
        return values;
    }

    private static void awaitConsumed(List<GroupMember> group, Set<String> expected) {
        await().atMost(REBALANCED).untilAsserted(() -> assertThat(new HashSet<>(values(group))).containsAll(expected));
    }

    private static List<String> values(List<GroupMember> group) {
        return group.stream().flatMap(m -> m.consumed().stream()).map(ConsumerRecord::value).collect(Collectors.toList());
    }

    /** Waits until the group's committed offsets add up to {@code records} (every partition starts at 0). */
    private void awaitCommitted(String groupId, long records) {
        await().atMost(REBALANCED).untilAsserted(() ->
                assertThat(committed(groupId).values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(records));
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String groupId) throws Exception {
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        }
    }
}
