package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.REBALANCE_MS;
import static io.runnel.group.classic.ClassicTestKit.SESSION_MS;
import static io.runnel.group.classic.ClassicTestKit.error;
import static io.runnel.group.classic.ClassicTestKit.followersOf;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static io.runnel.group.classic.ClassicTestKit.leaderOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupTimeoutTest {

    private final ClassicTestKit kit = new ClassicTestKit();

    @Test
    void shouldEvictMemberWhoseSessionExpiresAndRebalance() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        String leaderId = leaderOf(joined).memberId();
        String followerId = followersOf(joined).get(0).memberId();

        kit.scheduler.advance(SESSION_MS - 1);
        kit.heartbeat(leaderId, 1);
        kit.scheduler.advance(1);

        assertThat(kit.group().hasMember(followerId)).isFalse();
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldKeepMemberThatHeartbeatsWithinItsSession() {
        List<JoinGroupResponseData> joined = kit.stableGroup(1);

        for (int i = 0; i < 5; i++) {
            kit.scheduler.advance(SESSION_MS - 1);
            kit.heartbeat(joined.get(0).memberId(), 1);
        }

        assertThat(kit.group().size()).isEqualTo(1);
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void shouldEmptyGroupAndWriteRecordWhenOnlyMemberExpires() {
        kit.stableGroup(1);
        kit.writer.clear();

        kit.scheduler.advance(SESSION_MS);

        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(kit.group().generationId()).isEqualTo(2);
        assertThat(kit.lastRecord().members()).isEmpty();
        assertThat(kit.lastRecord().generationId()).isEqualTo(2);
    }

    @Test
    void shouldRemoveMemberThatDoesNotRejoinWithinRebalanceTimeout() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        String leaderId = leaderOf(joined).memberId();
        CompletableFuture<JoinGroupResponseData> rejoin = kit.join(joinRequest(leaderId));

        for (int waited = 0; waited < REBALANCE_MS; waited += SESSION_MS / 2) {
            kit.scheduler.advance(SESSION_MS / 2);
            kit.heartbeat(followersOf(joined).get(0).memberId(), 1);
        }

        assertThat(rejoin.join().generationId()).isEqualTo(2);
        assertThat(kit.group().size()).isEqualTo(1);
        assertThat(kit.group().hasMember(leaderId)).isTrue();
    }

    @Test
    void shouldElectRejoinedMemberAsLeaderWhenLeaderDoesNotRejoin() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        String followerId = followersOf(joined).get(0).memberId();
        CompletableFuture<JoinGroupResponseData> rejoin = kit.join(joinRequest(followerId)
                .setProtocols(ClassicTestKit.protocols("roundrobin", "range")));

        kit.scheduler.advance(REBALANCE_MS);

        assertThat(rejoin.join().leader()).isEqualTo(followerId);
    }

    @Test
    void shouldRemoveMembersThatDoNotSyncWithinRebalanceTimeout() {
        List<JoinGroupResponseData> joined = kit.joinMembers(2);
        String leaderId = leaderOf(joined).memberId();
        String followerId = followersOf(joined).get(0).memberId();
        kit.sync(leaderId, 1, Map.of()).join();

        for (int waited = 0; waited < REBALANCE_MS; waited += SESSION_MS / 2) {
            kit.scheduler.advance(SESSION_MS / 2);
            kit.heartbeat(leaderId, 1);
            kit.heartbeat(followerId, 1);
        }

        assertThat(kit.group().hasMember(followerId)).isFalse();
        assertThat(kit.group().hasMember(leaderId)).isTrue();
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldNotExpirePendingSyncOnceAllMembersSynced() {
        kit.stableGroup(2);

        kit.scheduler.advance(REBALANCE_MS);

        assertThat(kit.scheduler.isScheduled(ClassicTimerKeys.sync(ClassicTestKit.GROUP))).isFalse();
    }

    @Test
    void shouldForgetPendingMemberThatDoesNotRejoinWithinSessionTimeout() {
        String pending = kit.join(joinRequest("")).join().memberId();

        kit.scheduler.advance(SESSION_MS);

        assertThat(kit.group().isPendingMember(pending)).isFalse();
        JoinGroupResponseData late = kit.join(joinRequest(pending)).join();
        assertThat(error(late.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldTimeOutNewMemberParkedInJoinGroupAfterFiveMinutes() {
        List<JoinGroupResponseData> joined = kit.stableGroup(1);
        String leaderId = joined.get(0).memberId();
        CompletableFuture<JoinGroupResponseData> newcomer = kit.join(joinRequest(kit.join(joinRequest("")).join().memberId())
                .setRebalanceTimeoutMs(ClassicRebalancer.NEW_MEMBER_JOIN_TIMEOUT_MS * 2));
        for (int waited = 0; waited < ClassicRebalancer.NEW_MEMBER_JOIN_TIMEOUT_MS; waited += SESSION_MS / 2) {
            kit.scheduler.advance(SESSION_MS / 2);
            kit.heartbeat(leaderId, 1);
        }

        assertThat(error(newcomer.join().errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }
}
