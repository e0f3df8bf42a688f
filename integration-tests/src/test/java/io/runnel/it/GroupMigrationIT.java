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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mixing protocols in one group, as Kafka's {@code group.consumer.migration.policy} allows: real
 * classic consumers (eager and cooperative) form a group, a {@code group.protocol=consumer} consumer
 * joins and the group becomes a consumer group in which everybody keeps consuming, with nothing lost
 * or read twice; when that member leaves, the group is a classic group again. With the policy
 * {@code disabled}, the newcomer is refused and the classic group carries on. A classic consumer
 * (as KafkaJS or an older librdkafka) may also join a group of consumer-protocol members.
 */
class GroupMigrationIT {

    private static final String TOPIC = "migrating";
    private static final int PARTITIONS = 6;
    private static final Duration REBALANCED = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private Admin admin;
    private final List<GroupMember> members = new ArrayList<>();
    private int produced;

    @AfterEach
    void stopEverything() {
        members.forEach(GroupMember::close);
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"CLASSIC_RANGE", "CLASSIC_COOPERATIVE"})
    void shouldUpgradeWhenAConsumerProtocolMemberJoinsAndDowngradeWhenItLeaves(Protocol classic) throws Exception {
        start("bidirectional");
        List<GroupMember> classics = List.of(member(classic, "classic-0"), member(classic, "classic-1"));
        awaitBalanced(classics);
        Set<String> sent = produceAndAwaitCommitted(classics);
        assertThat(type()).isEqualTo(GroupType.CLASSIC);

        GroupMember newcomer = member(Protocol.CONSUMER, "consumer-0");
        List<GroupMember> all = List.of(classics.get(0), classics.get(1), newcomer);
        awaitBalanced(all);
        assertThat(type()).isEqualTo(GroupType.CONSUMER);
        await().atMost(REBALANCED).untilAsserted(() -> assertThat(describedMembers()).hasSize(3));
        sent.addAll(produceAndAwaitCommitted(all));

        newcomer.close();
        await().atMost(REBALANCED).untilAsserted(() -> assertThat(type()).isEqualTo(GroupType.CLASSIC));
        awaitBalanced(classics);
        sent.addAll(produceAndAwaitCommitted(classics));

        List<String> values = values(all);
        assertThat(values).as("every record exactly once").hasSize(sent.size()).doesNotHaveDuplicates();
        assertThat(new HashSet<>(values)).isEqualTo(sent);
    }

    @Test
    void shouldLetAClassicConsumerJoinAGroupOfConsumerProtocolMembers() throws Exception {
        start("bidirectional");
        GroupMember newProtocol = member(Protocol.CONSUMER, "consumer-0");
        awaitBalanced(List.of(newProtocol));
        Set<String> sent = produceAndAwaitCommitted(List.of(newProtocol));

        GroupMember classic = member(Protocol.CLASSIC_COOPERATIVE, "classic-0");
        List<GroupMember> both = List.of(newProtocol, classic);
        awaitBalanced(both);
        assertThat(type()).isEqualTo(GroupType.CONSUMER);
        sent.addAll(produceAndAwaitCommitted(both));

        newProtocol.close();
        await().atMost(REBALANCED).untilAsserted(() -> assertThat(type()).isEqualTo(GroupType.CLASSIC));
        awaitBalanced(List.of(classic));
        sent.addAll(produceAndAwaitCommitted(List.of(classic)));

        assertThat(values(both)).as("every record exactly once").hasSize(sent.size()).doesNotHaveDuplicates();
    }

    @Test
    void shouldRefuseAConsumerProtocolMemberWhenMigrationIsDisabled() throws Exception {
        start("disabled");
        GroupMember classic = member(Protocol.CLASSIC_RANGE, "classic");
        awaitBalanced(List.of(classic));

        GroupMember refused = member(Protocol.CONSUMER, "refused");

        // Kafka's answer when the policy forbids the upgrade.
        await().atMost(REBALANCED).untilAsserted(() -> assertThat(refused.failure()).isInstanceOf(GroupIdNotFoundException.class));
        awaitBalanced(List.of(classic));
        assertThat(type()).isEqualTo(GroupType.CLASSIC);
        produceAndAwaitCommitted(List.of(classic));
    }

    private void start(String policy) {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of(
                "group.consumer.migration.policy", policy,
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "1000",
                "group.consumer.min.session.timeout.ms", "1000",
                "group.consumer.session.timeout.ms", "3000",
                "group.consumer.heartbeat.interval.ms", "500",
                "group.consumer.min.heartbeat.interval.ms", "100",
                "offsets.topic.num.partitions", "3"));
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
        admin = KafkaClients.admin(broker.bootstrapServers());
    }

    private GroupMember member(Protocol protocol, String name) {
        Map<String, Object> config = new HashMap<>();
        config.put("auto.offset.reset", "earliest");
        GroupMember member = GroupMember.start(broker.bootstrapServers(), "mixed", TOPIC, protocol, name, config);
        members.add(member);
        return member;
    }

    private static void awaitBalanced(List<GroupMember> group) {
        GroupMember.awaitBalanced(group, PARTITIONS, REBALANCED);
    }

    /** Produces 300 records, waits until the group consumed and committed them all, returns them. */
    private Set<String> produceAndAwaitCommitted(List<GroupMember> group) {
        List<String> values = IntStream.range(produced, produced + 300).mapToObj(i -> "record-" + i).collect(Collectors.toList());
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, value, value));
            }
        }
        produced += values.size();
        long total = produced;
        await().atMost(REBALANCED).untilAsserted(() -> {
            assertThat(new HashSet<>(values(group))).containsAll(values);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("mixed").partitionsToOffsetAndMetadata().get();
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(total);
        });
        return new HashSet<>(values);
    }

    private GroupType type() throws Exception {
        return admin.describeConsumerGroups(List.of("mixed")).all().get().get("mixed").type();
    }

    private List<MemberDescription> describedMembers() throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("mixed")).all().get().get("mixed");
        return new ArrayList<>(description.members());
    }

    private static List<String> values(List<GroupMember> group) {
        return group.stream().flatMap(m -> m.consumed().stream()).map(ConsumerRecord::value).collect(Collectors.toList());
    }
}
