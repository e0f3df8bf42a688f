package io.runnel.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ConsumerGroupAssignmentTest {

    private final ConsumerGroupFixture fixture = new ConsumerGroupFixture();

    @Test
    void shouldGiveAllPartitionsToASingleMember() {
        Uuid topicId = fixture.topics.create("orders", 6);
        TestConsumer a = fixture.consumer("a", "orders");

        assertThat(a.join().errorCode()).isEqualTo(Errors.NONE.code());

        assertThat(a.epoch).isEqualTo(1);
        assertThat(a.owned).isEqualTo(Map.of(topicId, Set.of(0, 1, 2, 3, 4, 5)));
        assertThat(a.last.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(fixture.group().state()).isEqualTo(ConsumerGroupState.STABLE);
    }

    @Test
    void shouldGiveTwoPartitionsEachToThreeMembers() {
        fixture.topics.create("orders", 6);
        List<TestConsumer> consumers = join(3);

        fixture.settle(consumers);

        assertThat(consumers).allSatisfy(consumer -> assertThat(consumer.ownedCount()).isEqualTo(2));
        assertThat(fixture.group().groupEpoch()).isEqualTo(3);
    }

    @Test
    void shouldLeaveOneOfSevenMembersWithoutPartitionsOnSixPartitions() {
        fixture.topics.create("orders", 6);
        List<TestConsumer> consumers = join(7);

        fixture.settle(consumers);

        assertThat(consumers).filteredOn(consumer -> consumer.ownedCount() == 1).hasSize(6);
        assertThat(consumers).filteredOn(consumer -> consumer.ownedCount() == 0).hasSize(1);
    }

    @Test
    void shouldGiveNothingToTheFourthToSeventhMemberOfAThreePartitionTopic() {
        fixture.topics.create("orders", 3);
        List<TestConsumer> consumers = join(7);

        fixture.settle(consumers);

        assertThat(consumers).filteredOn(consumer -> consumer.ownedCount() == 1).hasSize(3);
        assertThat(consumers).filteredOn(consumer -> consumer.ownedCount() == 0).hasSize(4);
    }

    @Test
    void shouldMovePartitionsOfALeavingMemberToTheOthers() {
        fixture.topics.create("orders", 6);
        List<TestConsumer> consumers = join(3);
        fixture.settle(consumers);
        TestConsumer leaving = consumers.remove(2);

        leaving.leave(-1);
        fixture.settle(consumers);

        assertThat(leaving.last.memberEpoch()).isEqualTo(-1);
        assertThat(fixture.group().members()).doesNotContainKey(leaving.memberId);
        assertThat(consumers).allSatisfy(consumer -> assertThat(consumer.ownedCount()).isEqualTo(3));
    }

    @Test
    void shouldRevokePartitionsBeforeAssigningThemToANewMember() {
        Uuid topicId = fixture.topics.create("orders", 6);
        TestConsumer a = fixture.consumer("a", "orders");
        a.join();
        TestConsumer b = fixture.consumer("b", "orders");

        b.join();
        assertThat(b.owned).as("b gets nothing while a still owns everything").isEmpty();
        Map<Uuid, Set<Integer>> stillOwned = a.owned;
        a.heartbeatOwning(stillOwned);
        assertThat(fixture.group().member("a").state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(a.epoch).as("a stays in its epoch while revoking").isEqualTo(1);
        b.heartbeat();
        assertThat(b.owned).as("b still waits").isEmpty();
        assertThat(fixture.group().member("b").state()).isEqualTo(MemberState.UNRELEASED_PARTITIONS);

        a.owned = fixture.group().member("a").assignedPartitions();
        a.heartbeat();
        b.heartbeat();

        assertThat(a.epoch).isEqualTo(2);
        assertThat(a.ownedCount()).isEqualTo(3);
        assertThat(b.ownedCount()).isEqualTo(3);
        assertThat(union(a.owned, b.owned)).isEqualTo(Set.of(0, 1, 2, 3, 4, 5));
        assertThat(topicId).isEqualTo(a.owned.keySet().iterator().next());
    }

    @Test
    void shouldReassignWhenATopicGainsPartitions() {
        fixture.topics.create("orders", 4);
        List<TestConsumer> consumers = join(2);
        fixture.settle(consumers);
        int epoch = fixture.group().groupEpoch();

        fixture.topics.setPartitions("orders", 8);
        fixture.manager.onTopicsChanged();
        fixture.settle(consumers);

        assertThat(fixture.group().groupEpoch()).isEqualTo(epoch + 1);
        assertThat(consumers).allSatisfy(consumer -> assertThat(consumer.ownedCount()).isEqualTo(4));
    }

    @Test
    void shouldNotBumpTheEpochWhenUnrelatedTopicsChange() {
        fixture.topics.create("orders", 4);
        List<TestConsumer> consumers = join(2);
        fixture.settle(consumers);
        int epoch = fixture.group().groupEpoch();

        fixture.topics.create("payments", 3);
        fixture.manager.onTopicsChanged();

        assertThat(fixture.group().groupEpoch()).isEqualTo(epoch);
    }

    @Test
    void shouldAssignATopicCreatedAfterTheMemberSubscribed() {
        TestConsumer a = fixture.consumer("a", "orders");
        a.join();
        assertThat(a.owned).isEmpty();

        Uuid topicId = fixture.topics.create("orders", 2);
        fixture.manager.onTopicsChanged();
        a.heartbeat();

        assertThat(a.owned).isEqualTo(Map.of(topicId, Set.of(0, 1)));
    }

    @Test
    void shouldOnlySendTheAssignmentWhenItChanged() {
        fixture.topics.create("orders", 2);
        TestConsumer a = fixture.consumer("a", "orders");
        a.join();

        a.heartbeat();

        assertThat(a.last.assignment()).isNull();
    }

    @Test
    void shouldAssignWithTheRangeAssignorWhenMembersAskForIt() {
        Uuid orders = fixture.topics.create("orders", 3);
        Uuid payments = fixture.topics.create("payments", 3);
        TestConsumer a = fixture.consumer("a", "orders", "payments");
        TestConsumer b = fixture.consumer("b", "orders", "payments");
        a.serverAssignor = "range";
        b.serverAssignor = "range";
        a.join();
        b.join();

        fixture.settle(List.of(a, b));

        assertThat(a.owned).isEqualTo(Map.of(orders, Set.of(0, 1), payments, Set.of(0, 1)));
        assertThat(b.owned).isEqualTo(Map.of(orders, Set.of(2), payments, Set.of(2)));
        assertThat(fixture.manager.describe(ConsumerGroupFixture.GROUP).assignorName()).isEqualTo("range");
    }

    private List<TestConsumer> join(int count) {
        List<TestConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestConsumer consumer = fixture.consumer("member-" + i, "orders");
            consumer.join();
            consumers.add(consumer);
        }
        return consumers;
    }

    private static Set<Integer> union(Map<Uuid, Set<Integer>> first, Map<Uuid, Set<Integer>> second) {
        Set<Integer> all = new java.util.TreeSet<>();
        first.values().forEach(all::addAll);
        second.values().forEach(all::addAll);
        return all;
    }
}
