package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.GroupMember;
import io.runnel.it.support.GroupMember.Protocol;
import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.BrokerProcess;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.FreePort;
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
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A group outlives its broker: after a clean restart and after a SIGKILL, the group's members,
 * generation or epochs and assignments are read back from {@code __consumer_offsets}, so the
 * members carry on where they were and nothing is lost or read twice.
 */
class GroupRestartIT {

    private static final String TOPIC = "restarted";
    private static final int PARTITIONS = 6;
    private static final Duration SETTLED = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    private final List<GroupMember> members = new ArrayList<>();
    private int produced;

    @AfterEach
    void closeMembers() {
        members.forEach(GroupMember::close);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldKeepTheGroupAcrossACleanRestart(Protocol protocol) throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("group.initial.rebalance.delay.ms", "0"))) {
            String servers = broker.bootstrapServers();
            KafkaClients.createTopic(servers, TOPIC, PARTITIONS);
            List<GroupMember> group = startGroup(servers, protocol);
            Set<String> sent = produceAndAwaitCommitted(servers, group);
            Map<String, Set<TopicPartition>> before = assignments(group);
            Map<String, Integer> rebalances = rebalances(group);
            Set<String> memberIds = memberIds(servers);

            broker.restart();

            sent.addAll(produceAndAwaitCommitted(servers, group));
            assertCarriedOn(servers, memberIds, protocol, group, sent, before, rebalances);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"CLASSIC_COOPERATIVE", "CONSUMER"})
    void shouldKeepTheGroupWhenTheBrokerIsKilled(Protocol protocol) throws Exception {
        int port = FreePort.pick();
        Path dataDir = tempDir.resolve("data");
        Map<String, String> config = Map.of("listeners", "PLAINTEXT://localhost:" + port, "group.initial.rebalance.delay.ms", "0");
        String servers = "localhost:" + port;
        List<GroupMember> group;
        Set<String> sent;
        Map<String, Set<TopicPartition>> before;
        Map<String, Integer> rebalances;
        Set<String> memberIds;
        try (BrokerProcess broker = BrokerProcess.start(dataDir, config)) {
            KafkaClients.createTopic(servers, TOPIC, PARTITIONS);
            group = startGroup(servers, protocol);
            sent = produceAndAwaitCommitted(servers, group);
            before = assignments(group);
            rebalances = rebalances(group);
            memberIds = memberIds(servers);
            broker.kill();
        }

        try (BrokerProcess recovered = BrokerProcess.start(dataDir, config)) {
            sent.addAll(produceAndAwaitCommitted(servers, group));
            assertCarriedOn(servers, memberIds, protocol, group, sent, before, rebalances);
        }
    }

    private static Set<String> memberIds(String servers) throws Exception {
        try (Admin admin = KafkaClients.admin(servers)) {
            return admin.describeConsumerGroups(List.of("survivors")).all().get().get("survivors").members().stream()
                    .map(MemberDescription::consumerId).collect(Collectors.toSet());
        }
    }

    private List<GroupMember> startGroup(String servers, Protocol protocol) {
        List<GroupMember> group = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            GroupMember member = GroupMember.start(servers, "survivors", TOPIC, protocol, "survivor-" + i, Map.of());
            members.add(member);
            group.add(member);
        }
        GroupMember.awaitBalanced(group, PARTITIONS, SETTLED);
        return group;
    }

    /**
     * The same members (by the ids the coordinator gave them) with the same partitions, every record
     * exactly once; consumer-protocol members, whose epochs came back, without a rebalance. (A classic
     * leader may rejoin after the restart when its metadata view changed; the members stay the same.)
     */
    private static void assertCarriedOn(String servers, Set<String> memberIds, Protocol protocol, List<GroupMember> group,
                                        Set<String> sent, Map<String, Set<TopicPartition>> before, Map<String, Integer> rebalances)
            throws Exception {
        assertThat(memberIds(servers)).isEqualTo(memberIds);
        assertThat(assignments(group)).isEqualTo(before);
        if (protocol == Protocol.CONSUMER) {
            assertThat(rebalances(group)).as("rebalances").isEqualTo(rebalances);
        }
        List<String> values = group.stream().flatMap(m -> m.consumed().stream()).map(ConsumerRecord::value).collect(Collectors.toList());
        assertThat(values).as("every record exactly once").hasSize(sent.size()).doesNotHaveDuplicates();
    }

    private Set<String> produceAndAwaitCommitted(String servers, List<GroupMember> group) {
        List<String> values = IntStream.range(produced, produced + 200).mapToObj(i -> "record-" + i).collect(Collectors.toList());
        try (KafkaProducer<String, String> producer = KafkaClients.producer(servers)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, value, value));
            }
        }
        produced += values.size();
        long total = produced;
        try (Admin admin = KafkaClients.admin(servers)) {
            await().atMost(SETTLED).untilAsserted(() -> {
                Set<String> consumed = group.stream().flatMap(m -> m.consumed().stream()).map(ConsumerRecord::value).collect(Collectors.toSet());
                assertThat(consumed).containsAll(values);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("survivors").partitionsToOffsetAndMetadata().get();
                assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(total);
            });
        }
        return new HashSet<>(values);
    }

    private static Map<String, Set<TopicPartition>> assignments(List<GroupMember> group) {
        return group.stream().collect(Collectors.toMap(GroupMember::name, GroupMember::assignment));
    }

    private static Map<String, Integer> rebalances(List<GroupMember> group) {
        return group.stream().collect(Collectors.toMap(GroupMember::name, GroupMember::assignmentsReceived));
    }
}
