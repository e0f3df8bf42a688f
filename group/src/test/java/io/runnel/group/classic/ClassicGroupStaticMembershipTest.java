package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.assignmentOf;
import static io.runnel.group.classic.ClassicTestKit.error;
import static io.runnel.group.classic.ClassicTestKit.protocols;
import static io.runnel.group.classic.ClassicTestKit.staticJoinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupStaticMembershipTest {

    private final ClassicTestKit kit = new ClassicTestKit();

    /** A Stable group of two static members, "leader-instance" (the leader) and "follower-instance". */
    private List<JoinGroupResponseData> stableStaticGroup() {
        CompletableFuture<JoinGroupResponseData> leader = kit.join(staticJoinRequest("", "leader-instance"));
        CompletableFuture<JoinGroupResponseData> follower = kit.join(staticJoinRequest("", "follower-instance"));
        List<JoinGroupResponseData> joined = kit.awaitAll(List.of(leader, follower));
        kit.syncAll(joined);
        return joined;
    }

    @Test
    void shouldJoinStaticMemberWithoutMemberIdRoundTrip() {
        CompletableFuture<JoinGroupResponseData> joining = kit.join(staticJoinRequest("", "instance-1"));

        JoinGroupResponseData response = kit.awaitAll(List.of(joining)).get(0);

        assertThat(error(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.memberId()).startsWith("instance-1-");
    }

    @Test
    void shouldNotRebalanceWhenStaticMemberRestartsInStableGroup() {
        List<JoinGroupResponseData> joined = stableStaticGroup();

        JoinGroupResponseData restarted = kit.join(staticJoinRequest("", "follower-instance")).join();

        assertThat(error(restarted.errorCode())).isEqualTo(Errors.NONE);
        assertThat(restarted.generationId()).isEqualTo(1);
        assertThat(restarted.memberId()).isNotEqualTo(joined.get(1).memberId());
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void shouldReturnPreviousAssignmentToRestartedStaticMember() {
        List<JoinGroupResponseData> joined = stableStaticGroup();
        JoinGroupResponseData restarted = kit.join(staticJoinRequest("", "follower-instance")).join();

        SyncGroupResponseData synced = kit.sync(ClassicTestKit.syncRequest(restarted.memberId(), 1, Map.of())
                .setGroupInstanceId("follower-instance")).join();

        assertThat(synced.assignment()).isEqualTo(assignmentOf(joined.get(1).memberId()));
    }

    @Test
    void shouldPersistNewMemberIdOfRestartedStaticMember() {
        stableStaticGroup();
        kit.writer.clear();

        JoinGroupResponseData restarted = kit.join(staticJoinRequest("", "follower-instance")).join();

        assertThat(kit.writer.written()).hasSize(1);
        assertThat(kit.lastRecord().members()).anySatisfy(member -> {
            assertThat(member.memberId()).isEqualTo(restarted.memberId());
            assertThat(member.groupInstanceId()).isEqualTo("follower-instance");
        });
    }

    @Test
    void shouldFenceOldMemberIdOfRestartedStaticMember() {
        List<JoinGroupResponseData> joined = stableStaticGroup();
        kit.join(staticJoinRequest("", "follower-instance")).join();

        Errors error = error(kit.heartbeat(joined.get(1).memberId(), "follower-instance", 1).errorCode());

        assertThat(error).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void shouldFenceJoinWithMismatchedMemberIdForKnownInstance() {
        stableStaticGroup();
        String leaderId = kit.group().staticMemberId("leader-instance");

        JoinGroupResponseData response = kit.join(staticJoinRequest(leaderId, "follower-instance")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void shouldTellRestartedStaticLeaderToSkipAssignmentFromV9() {
        stableStaticGroup();

        JoinGroupResponseData restarted = kit.join(staticJoinRequest("", "leader-instance")).join();

        assertThat(restarted.leader()).isEqualTo(restarted.memberId());
        assertThat(restarted.skipAssignment()).isTrue();
        assertThat(restarted.members()).hasSize(2);
    }

    @Test
    void shouldTellRestartedStaticLeaderTheOldLeaderIdBeforeV9() {
        List<JoinGroupResponseData> joined = stableStaticGroup();

        JoinGroupResponseData restarted = kit.join(staticJoinRequest("", "leader-instance"), (short) 8).join();

        assertThat(restarted.leader()).isEqualTo(joined.get(0).memberId());
        assertThat(restarted.skipAssignment()).isFalse();
        assertThat(restarted.members()).isEmpty();
    }

    @Test
    void shouldRebalanceWhenRestartedStaticMemberChangesSelectedProtocol() {
        CompletableFuture<JoinGroupResponseData> only = kit.join(staticJoinRequest("", "instance-1")
                .setProtocols(protocols("range", "roundrobin")));
        kit.syncAll(kit.awaitAll(List.of(only)));

        CompletableFuture<JoinGroupResponseData> restarted = kit.join(staticJoinRequest("", "instance-1")
                .setProtocols(protocols("roundrobin", "range")));

        assertThat(kit.group().state()).isIn(ClassicGroupState.PREPARING_REBALANCE, ClassicGroupState.COMPLETING_REBALANCE);
        assertThat(restarted.join().protocolName()).isEqualTo("roundrobin");
        assertThat(restarted.join().generationId()).isEqualTo(2);
    }

    @Test
    void shouldRestoreOldMemberIdWhenRestartCannotBeWritten() {
        List<JoinGroupResponseData> joined = stableStaticGroup();
        kit.writer.failWrites(true);

        JoinGroupResponseData restarted = kit.join(staticJoinRequest("", "follower-instance")).join();

        assertThat(error(restarted.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(restarted.memberId()).isEmpty();
        assertThat(kit.group().staticMemberId("follower-instance")).isEqualTo(joined.get(1).memberId());
        assertThat(kit.heartbeat(joined.get(1).memberId(), "follower-instance", 1).errorCode()).isZero();
    }

    @Test
    void shouldKeepStaticMemberThatDoesNotRejoinInTime() {
        List<JoinGroupResponseData> joined = stableStaticGroup();
        String followerId = joined.get(1).memberId();
        CompletableFuture<JoinGroupResponseData> rejoin = kit.join(staticJoinRequest(joined.get(0).memberId(), "leader-instance")
                .setProtocols(protocols("range", "roundrobin")));

        for (int waited = 0; waited < ClassicTestKit.REBALANCE_MS; waited += ClassicTestKit.SESSION_MS / 2) {
            kit.scheduler.advance(ClassicTestKit.SESSION_MS / 2);
            kit.heartbeat(followerId, "follower-instance", 1);
        }

        assertThat(rejoin.join().generationId()).isEqualTo(2);
        assertThat(rejoin.join().members()).hasSize(2);
        assertThat(kit.group().hasMember(followerId)).isTrue();
    }

    @Test
    void shouldRemoveStaticMemberByInstanceIdOnLeave() {
        stableStaticGroup();

        Errors error = error(kit.leave(ClassicTestKit.member("").setGroupInstanceId("follower-instance"))
                .members().get(0).errorCode());

        assertThat(error).isEqualTo(Errors.NONE);
        assertThat(kit.group().staticMemberId("follower-instance")).isNull();
    }

    @Test
    void shouldKeepLeadershipWithRestartedStaticLeader() {
        stableStaticGroup();

        JoinGroupResponseData restarted = kit.join(staticJoinRequest("", "leader-instance")).join();

        assertThat(kit.group().leaderId()).isEqualTo(restarted.memberId());
    }
}
