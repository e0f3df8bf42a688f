package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.GROUP;
import static io.runnel.group.classic.ClassicTestKit.INITIAL_DELAY_MS;
import static io.runnel.group.classic.ClassicTestKit.error;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static io.runnel.group.classic.ClassicTestKit.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.record.GroupRecordValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupJoinTest {

    private final ClassicTestKit kit = new ClassicTestKit();

    @Test
    void shouldRequireMemberIdFromV4ForUnknownDynamicMember() {
        JoinGroupResponseData response = kit.join(joinRequest(""), (short) 4).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(response.memberId()).startsWith("client-");
        assertThat(kit.group().isPendingMember(response.memberId())).isTrue();
    }

    @Test
    void shouldAdmitPendingMemberRejoiningWithItsMemberId() {
        String memberId = kit.join(joinRequest("")).join().memberId();

        CompletableFuture<JoinGroupResponseData> rejoin = kit.join(joinRequest(memberId));

        assertThat(kit.group().hasMember(memberId)).isTrue();
        assertThat(kit.group().isPendingMember(memberId)).isFalse();
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(rejoin).isNotDone();
    }

    @Test
    void shouldAddUnknownMemberWithoutMemberIdRoundTripBeforeV4() {
        CompletableFuture<JoinGroupResponseData> response = kit.join(joinRequest(""), (short) 3);

        assertThat(response).isNotDone();
        assertThat(kit.group().size()).isEqualTo(1);
    }

    @Test
    void shouldCompleteSingleMemberJoinWhenInitialDelayEnds() {
        CompletableFuture<JoinGroupResponseData> joining = kit.joinDynamic();
        kit.scheduler.advance(INITIAL_DELAY_MS - 1);
        assertThat(joining).isNotDone();

        kit.scheduler.advance(1);

        JoinGroupResponseData response = joining.join();
        assertThat(error(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.generationId()).isEqualTo(1);
        assertThat(response.leader()).isEqualTo(response.memberId());
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
    }

    @Test
    void shouldExtendInitialDelayWhenAnotherMemberJoins() {
        CompletableFuture<JoinGroupResponseData> first = kit.joinDynamic();
        kit.scheduler.advance(INITIAL_DELAY_MS - 1000);
        CompletableFuture<JoinGroupResponseData> second = kit.joinDynamic();

        kit.scheduler.advance(1000);
        assertThat(first).isNotDone();
        kit.scheduler.advance(INITIAL_DELAY_MS);

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(second.join().generationId()).isEqualTo(1);
    }

    @Test
    void shouldNotExtendInitialDelayBeyondRebalanceTimeout() {
        CompletableFuture<JoinGroupResponseData> first = kit.join(joinRequest(kit.join(joinRequest("")).join().memberId())
                .setRebalanceTimeoutMs(5_000));
        for (int i = 0; i < 4; i++) {
            kit.scheduler.advance(1_000);
            kit.joinDynamic();
        }
        assertThat(first).isNotDone();

        kit.scheduler.advance(1_000);

        assertThat(first).isDone();
        assertThat(kit.group().size()).isEqualTo(5);
    }

    @Test
    void shouldGiveLeaderEveryMembersMetadataAndFollowersNone() {
        List<JoinGroupResponseData> joined = kit.joinMembers(3);

        JoinGroupResponseData leader = ClassicTestKit.leaderOf(joined);
        assertThat(leader.members()).hasSize(3);
        assertThat(leader.members()).allSatisfy(member ->
                assertThat(member.metadata()).isEqualTo(ClassicTestKit.subscription("topic-a")));
        assertThat(ClassicTestKit.followersOf(joined)).hasSize(2)
                .allSatisfy(follower -> assertThat(follower.members()).isEmpty());
        assertThat(joined).allSatisfy(response -> {
            assertThat(response.generationId()).isEqualTo(1);
            assertThat(response.leader()).isEqualTo(leader.memberId());
        });
    }

    @Test
    void shouldReportProtocolTypeAndNameInJoinResponse() {
        JoinGroupResponseData response = kit.joinMembers(1).get(0);

        assertThat(response.protocolType()).isEqualTo("consumer");
        assertThat(response.protocolName()).isEqualTo("range");
        assertThat(response.skipAssignment()).isFalse();
    }

    @Test
    void shouldSelectProtocolWithMostVotesAmongThoseAllSupport() {
        String first = kit.join(joinRequest("")).join().memberId();
        String second = kit.join(joinRequest("")).join().memberId();
        String third = kit.join(joinRequest("")).join().memberId();
        CompletableFuture<JoinGroupResponseData> a = kit.join(joinRequest(first).setProtocols(protocols("range", "roundrobin")));
        CompletableFuture<JoinGroupResponseData> b = kit.join(joinRequest(second).setProtocols(protocols("roundrobin", "range")));
        CompletableFuture<JoinGroupResponseData> c = kit.join(joinRequest(third).setProtocols(protocols("roundrobin", "sticky", "range")));

        List<JoinGroupResponseData> joined = kit.awaitAll(List.of(a, b, c));

        assertThat(joined).allSatisfy(response -> assertThat(response.protocolName()).isEqualTo("roundrobin"));
    }

    @Test
    void shouldRejectMemberWithDifferentProtocolType() {
        kit.joinMembers(1);

        JoinGroupResponseData response = kit.join(joinRequest("").setProtocolType("connect")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(response.memberId()).isEmpty();
    }

    @Test
    void shouldRejectMemberSharingNoProtocolWithTheGroup() {
        kit.joinMembers(1);

        JoinGroupResponseData response = kit.join(joinRequest("").setProtocols(protocols("sticky"))).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void shouldRejectFirstMemberWithoutProtocolType() {
        JoinGroupResponseData response = kit.join(joinRequest("").setProtocolType("")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void shouldRejectSessionTimeoutBelowMinimum() {
        JoinGroupResponseData response = kit.join(joinRequest("").setSessionTimeoutMs(5_999)).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(kit.group()).isNull();
    }

    @Test
    void shouldRejectSessionTimeoutAboveMaximum() {
        JoinGroupResponseData response = kit.join(joinRequest("").setSessionTimeoutMs(300_001)).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void shouldRejectEmptyGroupId() {
        JoinGroupResponseData response = kit.join(joinRequest("").setGroupId("")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void shouldAnswerUnknownMemberIdForMemberIdOfUnknownGroup() {
        JoinGroupResponseData response = kit.join(joinRequest("ghost")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(response.memberId()).isEqualTo("ghost");
        assertThat(kit.group()).isNull();
    }

    @Test
    void shouldAnswerUnknownMemberIdForUnknownMemberIdOfExistingGroup() {
        kit.joinMembers(1);

        JoinGroupResponseData response = kit.join(joinRequest("ghost")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldWriteEmptyRecordWhenJoinCreatesGroup() {
        kit.join(joinRequest("")).join();

        assertThat(kit.writer.written()).hasSize(1);
        GroupRecordValue.ClassicGroup record = kit.lastRecord();
        assertThat(record.generationId()).isZero();
        assertThat(record.members()).isEmpty();
        assertThat(kit.writer.written().get(0).groupId()).isEqualTo(GROUP);
    }

    @Test
    void shouldNotCreateGroupWhenItsRecordCannotBeWritten() {
        kit.writer.failWrites(true);

        JoinGroupResponseData response = kit.join(joinRequest("")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(kit.groups.get(GROUP)).isNull();
    }

    @Test
    void shouldReturnCurrentGenerationToFollowerRejoiningStableGroupWithSameMetadata() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        JoinGroupResponseData follower = ClassicTestKit.followersOf(joined).get(0);

        JoinGroupResponseData response = kit.join(joinRequest(follower.memberId())).join();

        assertThat(response.generationId()).isEqualTo(1);
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void shouldRebalanceWhenLeaderRejoinsStableGroup() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);

        CompletableFuture<JoinGroupResponseData> response = kit.join(joinRequest(ClassicTestKit.leaderOf(joined).memberId()));

        assertThat(response).isNotDone();
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldRebalanceWhenFollowerRejoinsWithNewMetadata() {
        JoinGroupResponseData follower = ClassicTestKit.followersOf(kit.stableGroup(2)).get(0);

        kit.join(joinRequest(follower.memberId()).setProtocols(protocols("roundrobin", "range")));

        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldCompleteRebalanceOnceEveryMemberRejoins() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        CompletableFuture<JoinGroupResponseData> leader = kit.join(joinRequest(ClassicTestKit.leaderOf(joined).memberId()));

        CompletableFuture<JoinGroupResponseData> follower =
                kit.join(joinRequest(ClassicTestKit.followersOf(joined).get(0).memberId()));

        assertThat(leader.join().generationId()).isEqualTo(2);
        assertThat(follower.join().generationId()).isEqualTo(2);
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
    }

    @Test
    void shouldUseSessionTimeoutAsRebalanceTimeoutForV0() {
        kit.join(joinRequest("").setRebalanceTimeoutMs(-1), (short) 0);

        assertThat(kit.group().members()).singleElement()
                .satisfies(member -> assertThat(member.rebalanceTimeoutMs()).isEqualTo(ClassicTestKit.SESSION_MS));
    }
}
