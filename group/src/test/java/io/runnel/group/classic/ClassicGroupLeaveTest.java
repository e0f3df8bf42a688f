package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.GROUP;
import static io.runnel.group.classic.ClassicTestKit.error;
import static io.runnel.group.classic.ClassicTestKit.followersOf;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static io.runnel.group.classic.ClassicTestKit.leaderOf;
import static io.runnel.group.classic.ClassicTestKit.member;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupLeaveTest {

    private final ClassicTestKit kit = new ClassicTestKit();

    @Test
    void shouldRemoveBatchedMembersWithPerMemberErrors() {
        List<JoinGroupResponseData> joined = kit.stableGroup(3);

        LeaveGroupResponseData response = kit.leave(member(joined.get(0).memberId()), member("ghost"),
                member(joined.get(1).memberId()));

        assertThat(response.members()).extracting(MemberResponse::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.UNKNOWN_MEMBER_ID.code(), Errors.NONE.code());
        assertThat(kit.group().size()).isEqualTo(1);
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldRebalanceRemainingMembersAfterLeave() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        JoinGroupResponseData follower = followersOf(joined).get(0);

        kit.leave(member(leaderOf(joined).memberId()));
        CompletableFuture<JoinGroupResponseData> rejoin = kit.join(joinRequest(follower.memberId()));

        assertThat(rejoin.join().generationId()).isEqualTo(2);
        assertThat(rejoin.join().leader()).isEqualTo(follower.memberId());
    }

    @Test
    void shouldWriteEmptyRecordWhenLastMemberLeaves() {
        JoinGroupResponseData only = kit.stableGroup(1).get(0);
        kit.writer.clear();

        kit.leave(member(only.memberId()));

        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(kit.writer.written()).hasSize(1);
        assertThat(kit.lastRecord().members()).isEmpty();
        assertThat(kit.lastRecord().protocolName()).isNull();
    }

    @Test
    void shouldRemovePendingMember() {
        String pending = kit.join(joinRequest("")).join().memberId();

        LeaveGroupResponseData response = kit.leave(member(pending));

        assertThat(error(response.members().get(0).errorCode())).isEqualTo(Errors.NONE);
        assertThat(kit.group().isPendingMember(pending)).isFalse();
    }

    @Test
    void shouldAnswerParkedJoinOfLeavingMember() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        String leaderId = leaderOf(joined).memberId();
        CompletableFuture<JoinGroupResponseData> parked = kit.join(joinRequest(leaderId));

        kit.leave(member(leaderId));

        assertThat(error(parked.join().errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectLeaveWithWrongInstanceId() {
        kit.join(ClassicTestKit.staticJoinRequest("", "instance-1"));
        JoinGroupResponseData other = kit.awaitAll(List.of(kit.joinDynamic())).get(0);

        LeaveGroupResponseData response = kit.leave(member(other.memberId()).setGroupInstanceId("instance-1"));

        assertThat(error(response.members().get(0).errorCode())).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void shouldReadSingleMemberIdBeforeV3() {
        JoinGroupResponseData only = kit.stableGroup(1).get(0);

        LeaveGroupResponseData response = kit.manager.leaveGroup(ClassicTestKit.ctx((short) 2),
                new LeaveGroupRequestData().setGroupId(GROUP).setMemberId(only.memberId()));

        assertThat(response.members()).singleElement()
                .satisfies(member -> assertThat(member.errorCode()).isZero());
        assertThat(kit.group().size()).isZero();
    }

    @Test
    void shouldAnswerUnknownMemberForEveryMemberOfUnknownGroup() {
        LeaveGroupResponseData response = kit.leave(member("a"), member("b"));

        assertThat(response.errorCode()).isZero();
        assertThat(response.members()).extracting(MemberResponse::errorCode)
                .containsOnly(Errors.UNKNOWN_MEMBER_ID.code());
    }
}
