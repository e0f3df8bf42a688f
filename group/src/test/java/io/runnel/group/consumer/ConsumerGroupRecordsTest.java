package io.runnel.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.Group;
import io.runnel.group.GroupType;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ConsumerGroupRecordsTest {

    private final ConsumerGroupFixture fixture = new ConsumerGroupFixture();

    @Test
    void shouldRebuildAnIdenticalGroupByReplayingTheWrittenRecords() {
        fixture.topics.create("orders", 6);
        TestConsumer a = fixture.consumer("a", "orders");
        TestConsumer b = fixture.staticConsumer("b", "instance-b", "orders");
        TestConsumer c = fixture.consumer("c", "orders");
        a.join();
        b.join();
        c.join();
        a.heartbeat();
        c.leave(-1);

        ConsumerGroupFixture restarted = new ConsumerGroupFixture();
        fixture.writer.written().forEach(restarted.manager::replay);
        restarted.manager.onLoaded();

        assertSameGroup(restarted.group(), fixture.group());
        assertThat(restarted.scheduler.isScheduled(ConsumerGroupManager.sessionTimeoutKey(ConsumerGroupFixture.GROUP, "a"))).isTrue();
    }

    @Test
    void shouldLeaveTheGroupUnchangedWhenTheWriteFails() {
        fixture.topics.create("orders", 4);
        TestConsumer a = fixture.consumer("a", "orders");
        a.join();
        ConsumerGroupMember before = fixture.group().member("a");
        int epoch = fixture.group().groupEpoch();
        fixture.writer.failWrites(true);

        TestConsumer b = fixture.consumer("b", "orders");
        b.join();

        assertThat(b.last.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(fixture.group().members()).containsOnlyKeys("a");
        assertThat(fixture.group().member("a")).isEqualTo(before);
        assertThat(fixture.group().groupEpoch()).isEqualTo(epoch);
    }

    @Test
    void shouldNotCreateAGroupWhenTheFirstWriteFails() {
        fixture.writer.failWrites(true);

        fixture.consumer("a", "orders").join();

        assertThat(fixture.groups.get(ConsumerGroupFixture.GROUP)).isNull();
    }

    @Test
    void shouldWriteTombstonesInKafkasOrder() {
        fixture.topics.create("orders", 2);
        fixture.consumer("a", "orders").join();

        List<GroupRecord> tombstones = fixture.group().tombstones();

        assertThat(tombstones).allMatch(GroupRecord::isTombstone);
        assertThat(tombstones).extracting(record -> record.key().getClass().getSimpleName()).containsExactly(
                "CurrentAssignment", "TargetAssignmentMember", "TargetAssignmentMetadata", "ConsumerGroupMember",
                "ConsumerGroupMetadata");
    }

    @Test
    void shouldRemoveTheGroupWhenItsTombstonesAreReplayed() {
        fixture.topics.create("orders", 2);
        TestConsumer a = fixture.consumer("a", "orders");
        a.join();
        a.leave(-1);
        ConsumerGroup group = fixture.group();

        group.tombstones().forEach(fixture.manager::replay);

        assertThat(fixture.groups.get(ConsumerGroupFixture.GROUP)).isNull();
        assertThat(group.stateName()).isEqualTo("Dead");
    }

    @Test
    void shouldReplaceAnEmptyClassicGroupWithItsTombstonesWritten() {
        GroupRecord classicTombstone = GroupRecord.tombstone(new GroupRecordKey.ClassicGroup(ConsumerGroupFixture.GROUP));
        fixture.groups.put(new FakeClassicGroup(true, List.of(classicTombstone)));

        TestConsumer a = fixture.consumer("a", "orders");
        a.join();

        assertThat(a.last.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fixture.writer.written().get(0)).isEqualTo(classicTombstone);
        assertThat(fixture.groups.get(ConsumerGroupFixture.GROUP)).isInstanceOf(ConsumerGroup.class);
    }

    @Test
    void shouldRefuseToJoinANonEmptyGroupThatCannotBeUpgraded() {
        fixture.groups.put(new FakeClassicGroup(false, List.of()));

        TestConsumer a = fixture.consumer("a", "orders");
        a.join();

        assertThat(a.last.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(a.last.errorMessage()).isEqualTo("Group orders is not a consumer group.");
        assertThat(fixture.writer.written()).isEmpty();
    }

    private static void assertSameGroup(ConsumerGroup actual, ConsumerGroup expected) {
        assertThat(actual.groupEpoch()).isEqualTo(expected.groupEpoch());
        assertThat(actual.assignmentEpoch()).isEqualTo(expected.assignmentEpoch());
        assertThat(actual.members()).isEqualTo(expected.members());
        assertThat(actual.targetAssignment()).isEqualTo(expected.targetAssignment());
        assertThat(actual.state()).isEqualTo(expected.state());
        assertThat(actual.staticMember("instance-b")).isEqualTo(expected.staticMember("instance-b"));
    }

    /** A classic group as the consumer protocol sees it: only emptiness and tombstones matter. */
    private record FakeClassicGroup(boolean isEmpty, List<GroupRecord> tombstones) implements Group {
        @Override
        public String groupId() {
            return ConsumerGroupFixture.GROUP;
        }

        @Override
        public GroupType type() {
            return GroupType.CLASSIC;
        }

        @Override
        public String protocolType() {
            return "consumer";
        }

        @Override
        public String stateName() {
            return isEmpty ? "Empty" : "Stable";
        }

        @Override
        public long offsetExpiryBaseMs(long commitTimestampMs) {
            return commitTimestampMs;
        }

        @Override
        public boolean isSubscribedTo(String topic) {
            return false;
        }

        @Override
        public Errors validateOffsetCommit(String memberId, String groupInstanceId, int generation, boolean isTransactional, short apiVersion) {
            return Errors.NONE;
        }

        @Override
        public Errors validateOffsetFetch(String memberId, int memberEpoch, short apiVersion) {
            return Errors.NONE;
        }
    }
}
