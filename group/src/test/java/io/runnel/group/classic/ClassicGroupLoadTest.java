package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.GROUP;
import static io.runnel.group.classic.ClassicTestKit.SESSION_MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.junit.jupiter.api.Test;

class ClassicGroupLoadTest {

    private static final GroupRecordKey.ClassicGroup KEY = new GroupRecordKey.ClassicGroup(GROUP);

    private final ClassicTestKit kit = new ClassicTestKit();

    private static GroupRecordValue.ClassicMember member(String memberId, String instanceId) {
        return new GroupRecordValue.ClassicMember(memberId, instanceId, "client", "/10.0.0.1", -1, SESSION_MS,
                ClassicTestKit.subscription("orders"), ClassicTestKit.assignmentOf(memberId));
    }

    private static GroupRecordValue.ClassicGroup stableRecord(GroupRecordValue.ClassicMember... members) {
        return new GroupRecordValue.ClassicGroup("consumer", 7, "range", members[0].memberId(), 123L, List.of(members));
    }

    @Test
    void shouldRebuildStableGroupFromRecord() {
        kit.manager.replay(KEY, stableRecord(member("m1", null), member("m2", "instance-2")));

        ClassicGroup group = kit.group();
        assertThat(group.state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(group.generationId()).isEqualTo(7);
        assertThat(group.protocolName()).isEqualTo("range");
        assertThat(group.leaderId()).isEqualTo("m1");
        assertThat(group.staticMemberId("instance-2")).isEqualTo("m2");
        assertThat(group.member("m1").rebalanceTimeoutMs()).isEqualTo(SESSION_MS);
        assertThat(group.isSubscribedTo("orders")).isTrue();
    }

    @Test
    void shouldRebuildEmptyGroupFromRecordWithoutMembers() {
        kit.manager.replay(KEY, new GroupRecordValue.ClassicGroup("consumer", 3, null, null, 123L, List.of()));

        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(kit.group().generationId()).isEqualTo(3);
    }

    @Test
    void shouldKeepLatestRecordOfGroup() {
        kit.manager.replay(KEY, stableRecord(member("m1", null)));
        kit.manager.replay(KEY, stableRecord(member("m2", null)));

        assertThat(kit.group().hasMember("m1")).isFalse();
        assertThat(kit.group().hasMember("m2")).isTrue();
    }

    @Test
    void shouldRemoveGroupOnTombstone() {
        kit.manager.replay(KEY, stableRecord(member("m1", null)));
        ClassicGroup loaded = kit.group();

        kit.manager.replay(KEY, null);

        assertThat(kit.groups.get(GROUP)).isNull();
        assertThat(loaded.state()).isEqualTo(ClassicGroupState.DEAD);
    }

    @Test
    void shouldServeLoadedMemberItsAssignment() {
        kit.manager.replay(KEY, stableRecord(member("m1", null)));
        kit.manager.onLoaded();

        SyncGroupResponseData response = kit.sync("m1", 7, Map.of()).join();

        assertThat(response.assignment()).isEqualTo(ClassicTestKit.assignmentOf("m1"));
    }

    @Test
    void shouldEvictLoadedMemberThatNeverComesBack() {
        kit.manager.replay(KEY, stableRecord(member("m1", null), member("m2", null)));
        kit.manager.onLoaded();

        kit.scheduler.advance(SESSION_MS - 1);
        kit.heartbeat("m1", 7);
        kit.scheduler.advance(1);

        assertThat(kit.group().hasMember("m2")).isFalse();
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldEmptyLoadedGroupWhoseMembersNeverComeBack() {
        kit.manager.replay(KEY, stableRecord(member("m1", null)));
        kit.manager.onLoaded();

        kit.scheduler.advance(SESSION_MS);

        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(kit.lastRecord().generationId()).isEqualTo(8);
    }

    @Test
    void shouldRebalanceLoadedGroupLargerThanMaxSize() {
        ClassicTestKit small = new ClassicTestKit(1, ClassicTestKit.INITIAL_DELAY_MS);
        small.manager.replay(KEY, stableRecord(member("m1", null), member("m2", null)));

        small.manager.onLoaded();

        assertThat(small.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }
}
