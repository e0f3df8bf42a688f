package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.error;
import static io.runnel.group.classic.ClassicTestKit.followersOf;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static io.runnel.group.classic.ClassicTestKit.leaderOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupHeartbeatTest {

    private final ClassicTestKit kit = new ClassicTestKit();

    @Test
    void shouldAcceptHeartbeatFromMemberOfStableGroup() {
        JoinGroupResponseData member = kit.stableGroup(1).get(0);

        assertThat(error(kit.heartbeat(member.memberId(), 1).errorCode())).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAcceptHeartbeatBetweenJoinAndSync() {
        JoinGroupResponseData member = kit.joinMembers(1).get(0);

        assertThat(error(kit.heartbeat(member.memberId(), 1).errorCode())).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAnswerRebalanceInProgressDuringJoinPhase() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        kit.join(joinRequest(leaderOf(joined).memberId()));

        Errors error = error(kit.heartbeat(followersOf(joined).get(0).memberId(), 1).errorCode());

        assertThat(error).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldRejectHeartbeatWithStaleGeneration() {
        JoinGroupResponseData member = kit.stableGroup(1).get(0);

        assertThat(error(kit.heartbeat(member.memberId(), 0).errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void shouldRejectHeartbeatFromUnknownMember() {
        kit.stableGroup(1);

        assertThat(error(kit.heartbeat("ghost", 1).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectHeartbeatToUnknownGroup() {
        assertThat(error(kit.heartbeat("ghost", 1).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectHeartbeatWithUnknownInstanceId() {
        JoinGroupResponseData member = kit.stableGroup(1).get(0);

        assertThat(error(kit.heartbeat(member.memberId(), "no-such-instance", 1).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectHeartbeatWithEmptyGroupId() {
        Errors error = error(kit.manager.heartbeat(ClassicTestKit.ctx((short) 4),
                new HeartbeatRequestData().setGroupId("").setMemberId("m")).errorCode());

        assertThat(error).isEqualTo(Errors.INVALID_GROUP_ID);
    }
}
