package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.GroupMember;
import io.runnel.it.support.GroupMember.Protocol;
import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The group behaviours of issue 3 beyond dividing partitions, through real clients: static
 * membership, group.max.size (3 here, so a static member can replace itself below the limit, as
 * Kafka counts a replacing static member as a new one), the initial rebalance delay, the admin client's list, describe and
 * delete, and an empty group switching protocol (groups with members: {@link GroupMigrationIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupFeaturesIT {

    private static final String TOPIC = "features";
    private static final int PARTITIONS = 4;
    private static final Duration REBALANCED = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private EmbeddedBroker broker;
    private Admin admin;
    private final List<GroupMember> members = new ArrayList<>();

    @BeforeAll
    void startBroker() {
        broker = EmbeddedBroker.start(dataDir.resolve("main"), Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "1000",
                "group.max.size", "3",
                "group.consumer.max.size", "3",
                "group.consumer.min.session.timeout.ms", "1000",
                "group.consumer.session.timeout.ms", "10000",
                "group.consumer.heartbeat.interval.ms", "500",
                "group.consumer.min.heartbeat.interval.ms", "100",
                "offsets.topic.num.partitions", "5"));
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
        admin = KafkaClients.admin(broker.bootstrapServers());
    }

    @AfterEach
    void closeMembers() {
        members.forEach(GroupMember::close);
        members.clear();
    }

    @AfterAll
    void stopBroker() {
        admin.close();
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"CLASSIC_RANGE", "CONSUMER"})
    void shouldNotRebalanceWhenAStaticMemberRestartsWithinTheSessionTimeout(Protocol protocol) {
        String group = "static-" + protocol;
        Map<String, Object> staticMember = Map.of("group.instance.id", "static-a", "session.timeout.ms", "10000");
        GroupMember first = member(group, protocol, "a", protocol == Protocol.CONSUMER ? Map.of("group.instance.id", "static-a") : staticMember);
        GroupMember other = member(group, protocol, "b", Map.of());
        awaitBalanced(List.of(first, other));
        Set<TopicPartition> firstAssignment = first.assignment();
        Set<TopicPartition> otherAssignment = other.assignment();
        int otherRebalances = other.assignmentsReceived();

        first.vanish();
        GroupMember restarted = member(group, protocol, "a2", protocol == Protocol.CONSUMER ? Map.of("group.instance.id", "static-a") : staticMember);

        await().atMost(REBALANCED).untilAsserted(() -> assertThat(restarted.assignment()).isEqualTo(firstAssignment));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(other.assignmentsReceived()).as("rebalances seen by the other member").isEqualTo(otherRebalances);
            assertThat(other.assignment()).isEqualTo(otherAssignment);
        });
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"CLASSIC_RANGE", "CONSUMER"})
    void shouldRefuseAMemberBeyondTheGroupMaxSize(Protocol protocol) {
        String group = "max-size-" + protocol;
        List<GroupMember> admitted = List.of(member(group, protocol, "m1", Map.of()), member(group, protocol, "m2", Map.of()),
                member(group, protocol, "m3", Map.of()));
        awaitBalanced(admitted);

        GroupMember extra = member(group, protocol, "m4", Map.of());

        await().atMost(REBALANCED).untilAsserted(() -> assertThat(extra.failure()).isInstanceOf(GroupMaxSizeReachedException.class));
        awaitBalanced(admitted);
    }

    @Test
    void shouldGiveConsumersStartingTogetherTheirAssignmentInOneRebalance() {
        try (EmbeddedBroker delayed = EmbeddedBroker.start(dataDir.resolve("delayed"), Map.of(
                "group.initial.rebalance.delay.ms", "2000", "offsets.topic.num.partitions", "1"))) {
            KafkaClients.createTopic(delayed.bootstrapServers(), "delayed", 3);
            List<GroupMember> group = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                group.add(GroupMember.start(delayed.bootstrapServers(), "delayed", "delayed", Protocol.CLASSIC_RANGE, "d" + i, Map.of()));
            }
            try {
                await().atMost(REBALANCED).untilAsserted(() ->
                        assertThat(group).allSatisfy(m -> assertThat(m.assignment()).hasSize(1)));
                assertThat(group).allSatisfy(m -> assertThat(m.assignmentsReceived()).as(m.name()).isEqualTo(1));
            } finally {
                group.forEach(GroupMember::close);
            }
        }
    }

    @Test
    void shouldListAndDescribeGroupsByStateAndType() throws Exception {
        awaitBalanced(List.of(member("listed-classic", Protocol.CLASSIC_RANGE, "c", Map.of())));
        awaitBalanced(List.of(member("listed-consumer", Protocol.CONSUMER, "k", Map.of())));
        admin.alterConsumerGroupOffsets("listed-empty", Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1))).all().get();

        assertThat(listed(ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.STABLE))))
                .contains("listed-classic", "listed-consumer").doesNotContain("listed-empty");
        assertThat(listed(ListGroupsOptions.forConsumerGroups().withTypes(Set.of(GroupType.CONSUMER))))
                .contains("listed-consumer").doesNotContain("listed-classic", "listed-empty");
        assertThat(listed(ListGroupsOptions.forConsumerGroups().withTypes(Set.of(GroupType.CLASSIC)).inGroupStates(Set.of(GroupState.EMPTY))))
                .contains("listed-empty").doesNotContain("listed-classic", "listed-consumer");

        Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(List.of("listed-classic", "listed-consumer"),
                new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all().get();
        assertThat(described.get("listed-classic").type()).isEqualTo(GroupType.CLASSIC);
        assertThat(described.get("listed-consumer").type()).isEqualTo(GroupType.CONSUMER);
        assertThat(described.values()).allSatisfy(d -> {
            assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(d.members()).singleElement().satisfies(m -> assertThat(m.assignment().topicPartitions()).hasSize(PARTITIONS));
            // Kafka without an authorizer grants every group operation, and says so when asked.
            assertThat(d.authorizedOperations()).contains(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE);
        });
    }

    @Test
    void shouldDeleteAGroupsOffsetsAndThenTheGroupThroughTheAdminClient() throws Exception {
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        admin.alterConsumerGroupOffsets("deleted", Map.of(p0, new OffsetAndMetadata(3), p1, new OffsetAndMetadata(4))).all().get();

        admin.deleteConsumerGroupOffsets("deleted", Set.of(p0)).all().get();
        assertThat(admin.listConsumerGroupOffsets("deleted").partitionsToOffsetAndMetadata().get()).containsOnlyKeys(p1);

        admin.deleteConsumerGroups(List.of("deleted")).all().get();
        assertThat(listed(new ListGroupsOptions())).doesNotContain("deleted");
        assertThat(admin.listConsumerGroupOffsets("deleted").partitionsToOffsetAndMetadata().get()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"CLASSIC_RANGE", "CONSUMER"})
    void shouldRefuseToDeleteAGroupWithMembersOrOffsetsOfItsSubscribedTopic(Protocol protocol) throws Exception {
        String group = "busy-" + protocol;
        awaitBalanced(List.of(member(group, protocol, "busy", Map.of())));

        assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of(group)).all().get()).hasCauseInstanceOf(GroupNotEmptyException.class);
        assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets(group, Set.of(new TopicPartition(TOPIC, 0))).all().get())
                .hasMessageContaining("subscribed");
    }

    @Test
    void shouldRemoveAStaticMemberOfAConsumerGroupThroughTheAdminClient() throws Exception {
        GroupMember member = member("removed", Protocol.CONSUMER, "r", Map.of("group.instance.id", "removable"));
        awaitBalanced(List.of(member));

        admin.removeMembersFromConsumerGroup("removed", new RemoveMembersFromConsumerGroupOptions(
                Set.of(new MemberToRemove("removable")))).all().get();

        assertThatThrownBy(() -> admin.removeMembersFromConsumerGroup("removed", new RemoveMembersFromConsumerGroupOptions(
                Set.of(new MemberToRemove("nobody")))).all().get()).isInstanceOf(ExecutionException.class);
    }

    @Test
    void shouldLetAnEmptyClassicGroupBecomeAConsumerGroup() throws Exception {
        admin.alterConsumerGroupOffsets("converted", Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(0))).all().get();
        awaitBalanced(List.of(member("converted", Protocol.CONSUMER, "new-protocol", Map.of())));
        assertThat(admin.describeConsumerGroups(List.of("converted")).all().get().get("converted").type()).isEqualTo(GroupType.CONSUMER);
    }

    private GroupMember member(String group, Protocol protocol, String name, Map<String, Object> overrides) {
        GroupMember member = GroupMember.start(broker.bootstrapServers(), group, TOPIC, protocol, name, overrides);
        members.add(member);
        return member;
    }

    private static void awaitBalanced(List<GroupMember> group) {
        GroupMember.awaitBalanced(group, PARTITIONS, REBALANCED);
    }

    private Set<String> listed(ListGroupsOptions options) throws Exception {
        return admin.listGroups(options).all().get().stream().map(GroupListing::groupId).collect(Collectors.toSet());
    }
}
