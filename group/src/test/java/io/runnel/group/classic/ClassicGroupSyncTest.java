package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.assignmentOf;
import static io.runnel.group.classic.ClassicTestKit.error;
import static io.runnel.group.classic.ClassicTestKit.followersOf;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static io.runnel.group.classic.ClassicTestKit.leaderOf;
import static io.runnel.group.classic.ClassicTestKit.syncRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.record.GroupRecordValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupSyncTest {

    private final ClassicTestKit kit = new ClassicTestKit();

    @Test
    void shouldStabiliseSingleMemberGroupWhenLeaderSyncs() {
        JoinGroupResponseData leader = kit.joinMembers(1).get(0);

        SyncGroupResponseData response = kit.sync(leader.memberId(), 1, Map.of(leader.memberId(), assignmentOf(leader.memberId()))).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.assignment()).isEqualTo(assignmentOf(leader.memberId()));
        assertThat(response.protocolType()).isEqualTo("consumer");
        assertThat(response.protocolName()).isEqualTo("range");
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void shouldParkFollowersUntilLeaderSyncs() {
        List<JoinGroupResponseData> joined = kit.joinMembers(3);
        JoinGroupResponseData follower = followersOf(joined).get(0);

        CompletableFuture<SyncGroupResponseData> parked = kit.sync(follower.memberId(), 1, Map.of());

        assertThat(parked).isNotDone();
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
    }

    @Test
    void shouldGiveEveryMemberItsAssignmentOfThreeMemberGroup() {
        List<JoinGroupResponseData> joined = kit.joinMembers(3);

        List<SyncGroupResponseData> synced = kit.syncAll(joined);

        assertThat(synced).allSatisfy(response -> assertThat(error(response.errorCode())).isEqualTo(Errors.NONE));
        assertThat(synced).extracting(SyncGroupResponseData::assignment)
                .containsExactlyInAnyOrderElementsOf(joined.stream().map(j -> assignmentOf(j.memberId())).toList());
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void shouldWriteGroupRecordWithAssignmentWhenLeaderSyncs() {
        List<JoinGroupResponseData> joined = kit.joinMembers(2);
        kit.writer.clear();

        kit.syncAll(joined);

        assertThat(kit.writer.written()).hasSize(1);
        GroupRecordValue.ClassicGroup record = kit.lastRecord();
        assertThat(record.generationId()).isEqualTo(1);
        assertThat(record.protocolType()).isEqualTo("consumer");
        assertThat(record.protocolName()).isEqualTo("range");
        assertThat(record.leaderId()).isEqualTo(leaderOf(joined).memberId());
        assertThat(record.members()).hasSize(2).allSatisfy(member -> {
            assertThat(member.assignment()).isEqualTo(assignmentOf(member.memberId()));
            assertThat(member.subscription()).isEqualTo(ClassicTestKit.subscription("topic-a"));
            assertThat(member.sessionTimeoutMs()).isEqualTo(ClassicTestKit.SESSION_MS);
            assertThat(member.clientHost()).isEqualTo("/127.0.0.1");
        });
    }

    @Test
    void shouldGiveEmptyAssignmentToMemberLeaderLeftOut() {
        List<JoinGroupResponseData> joined = kit.joinMembers(2);
        JoinGroupResponseData follower = followersOf(joined).get(0);
        CompletableFuture<SyncGroupResponseData> parked = kit.sync(follower.memberId(), 1, Map.of());

        String leaderId = leaderOf(joined).memberId();
        kit.sync(leaderId, 1, Map.of(leaderId, assignmentOf(leaderId))).join();

        assertThat(parked.join().assignment()).isEmpty();
    }

    @Test
    void shouldFailParkedSyncsAndRebalanceWhenAssignmentCannotBeWritten() {
        List<JoinGroupResponseData> joined = kit.joinMembers(2);
        CompletableFuture<SyncGroupResponseData> follower = kit.sync(followersOf(joined).get(0).memberId(), 1, Map.of());
        kit.writer.failWrites(true);

        SyncGroupResponseData leader = kit.sync(leaderOf(joined).memberId(), 1, Map.of()).join();

        assertThat(error(leader.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(error(follower.join().errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldAnswerRebalanceInProgressToSyncDuringJoinPhase() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        kit.join(joinRequest(leaderOf(joined).memberId()));

        SyncGroupResponseData response = kit.sync(followersOf(joined).get(0).memberId(), 1, Map.of()).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldAnswerRebalanceInProgressToParkedSyncWhenRebalanceStarts() {
        List<JoinGroupResponseData> joined = kit.joinMembers(2);
        JoinGroupResponseData follower = followersOf(joined).get(0);
        CompletableFuture<SyncGroupResponseData> parked = kit.sync(follower.memberId(), 1, Map.of());

        kit.join(joinRequest(follower.memberId()).setProtocols(ClassicTestKit.protocols("roundrobin", "range")));

        assertThat(error(parked.join().errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldRejectSyncWithStaleGeneration() {
        JoinGroupResponseData leader = kit.joinMembers(1).get(0);

        SyncGroupResponseData response = kit.sync(leader.memberId(), 0, Map.of()).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void shouldRejectSyncFromUnknownMember() {
        kit.joinMembers(1);

        SyncGroupResponseData response = kit.sync("ghost", 1, Map.of()).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectSyncToUnknownGroup() {
        SyncGroupResponseData response = kit.sync("ghost", 1, Map.of()).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectSyncWithInconsistentProtocolName() {
        JoinGroupResponseData leader = kit.joinMembers(1).get(0);

        SyncGroupResponseData response = kit.sync(syncRequest(leader.memberId(), 1, Map.of()).setProtocolName("sticky")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void shouldRejectSyncWithInconsistentProtocolType() {
        JoinGroupResponseData leader = kit.joinMembers(1).get(0);

        SyncGroupResponseData response = kit.sync(syncRequest(leader.memberId(), 1, Map.of()).setProtocolType("connect")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void shouldAcceptSyncWithoutProtocolFieldsBeforeV5() {
        JoinGroupResponseData leader = kit.joinMembers(1).get(0);

        SyncGroupResponseData response = kit.sync(syncRequest(leader.memberId(), 1, Map.of())
                .setProtocolType(null).setProtocolName(null)).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldReturnCurrentAssignmentToMemberSyncingStableGroup() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        JoinGroupResponseData follower = followersOf(joined).get(0);

        SyncGroupResponseData response = kit.sync(follower.memberId(), 1, Map.of()).join();

        assertThat(response.assignment()).isEqualTo(assignmentOf(follower.memberId()));
    }
}
