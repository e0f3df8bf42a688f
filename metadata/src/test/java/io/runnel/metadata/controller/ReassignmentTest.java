package io.runnel.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.AlterPartition;
import io.runnel.metadata.controller.ControllerCommand.AlterReassignments;
import io.runnel.metadata.controller.ControllerCommand.CreateTopic;
import io.runnel.metadata.controller.ControllerCommand.IsrChange;
import io.runnel.metadata.controller.ControllerCommand.IsrChangeResult;
import io.runnel.metadata.controller.ControllerCommand.IsrMember;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import io.runnel.metadata.controller.ControllerCommand.Reassignment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partition reassignment with data copy: partition "t-0" starts on brokers 1 and 2, led by 1; brokers 3 and 4 are free. */
class ReassignmentTest {

    private final ControllerHarness cluster = new ControllerHarness(11);
    private long[] epochs;
    private PartitionId id;

    @BeforeEach
    void createPartition() {
        epochs = cluster.activeBrokers(null, null, null, null);
        TopicMetadata topic = (TopicMetadata) cluster.handle(new CreateTopic("t", 1, 0, Map.of(0, List.of(1, 2)), Map.of(), false));
        id = new PartitionId(topic.id(), 0);
    }

    @Test
    void shouldAddTheTargetReplicasFirstAndKeepTheOldOnesServing() {
        PartitionRegistration before = partition();

        assertThat(reassign(List.of(2, 3)).errorCode()).isEqualTo(Errors.NONE.code());

        PartitionRegistration moving = partition();
        assertThat(moving.replicas()).containsExactly(2, 3, 1);
        assertThat(moving.addingReplicas()).containsExactly(3);
        assertThat(moving.removingReplicas()).containsExactly(1);
        assertThat(moving.isr()).containsExactly(1, 2);
        assertThat(moving.leader()).isEqualTo(1);
        assertThat(moving.leaderEpoch()).isEqualTo(before.leaderEpoch());
        assertThat(moving.partitionEpoch()).isEqualTo(before.partitionEpoch() + 1);
    }

    @Test
    void shouldCompleteOnceEveryTargetReplicaIsInSyncAndMoveLeadershipOffARemovedLeader() {
        reassign(List.of(2, 3));
        PartitionRegistration moving = partition();

        IsrChangeResult result = alterIsr(1, moving, 1, 2, 3);

        PartitionRegistration done = partition();
        assertThat(done.replicas()).containsExactly(2, 3);
        assertThat(done.isr()).containsExactly(2, 3);
        assertThat(done.isReassigning()).isFalse();
        assertThat(done.leader()).isEqualTo(2);
        assertThat(done.leaderEpoch()).isEqualTo(moving.leaderEpoch() + 1);
        assertThat(result.errorCode()).as("the change is written, and the sender told it no longer leads").isEqualTo(Errors.NEW_LEADER_ELECTED.code());
        assertThat(result.registration()).isEqualTo(done);
    }

    @Test
    void shouldWaitWhileATargetReplicaIsNotInSync() {
        reassign(List.of(1, 3, 4));

        alterIsr(1, partition(), 1, 2, 3);

        PartitionRegistration moving = partition();
        assertThat(moving.isReassigning()).isTrue();
        assertThat(moving.replicas()).containsExactly(1, 3, 4, 2);
        assertThat(moving.isr()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldCompleteAtOnceWhenTheTargetIsAlreadyInSyncAndRaiseTheLeaderEpochWhenReplicasLeave() {
        PartitionRegistration before = partition();

        reassign(List.of(2, 1));
        PartitionRegistration reordered = partition();
        reassign(List.of(2));
        PartitionRegistration shrunk = partition();

        assertThat(reordered.replicas()).containsExactly(2, 1);
        assertThat(reordered.isReassigning()).isFalse();
        assertThat(reordered.leaderEpoch()).isEqualTo(before.leaderEpoch());
        assertThat(shrunk.replicas()).containsExactly(2);
        assertThat(shrunk.isr()).containsExactly(2);
        assertThat(shrunk.leader()).isEqualTo(2);
        assertThat(shrunk.leaderEpoch()).isGreaterThan(reordered.leaderEpoch());
    }

    @Test
    void shouldBumpTheLeaderEpochWhenAMoveRemovesReplicasEvenIfTheLeaderStays() {
        reassign(List.of(1, 3));
        PartitionRegistration moving = partition();

        alterIsr(1, moving, 1, 2, 3);

        PartitionRegistration done = partition();
        assertThat(done.replicas()).containsExactly(1, 3);
        assertThat(done.leader()).isEqualTo(1);
        assertThat(done.leaderEpoch()).isEqualTo(moving.leaderEpoch() + 1);
    }

    @Test
    void shouldCancelBackToTheOriginalReplicasWithoutTheAddedOnesInTheIsr() {
        reassign(List.of(3, 4));
        alterIsr(1, partition(), 1, 2, 3);

        PartitionResult cancelled = reassign(null);

        PartitionRegistration reverted = partition();
        assertThat(cancelled.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(reverted.replicas()).containsExactly(1, 2);
        assertThat(reverted.isr()).containsExactly(1, 2);
        assertThat(reverted.isReassigning()).isFalse();
        assertThat(reverted.leader()).isEqualTo(1);
    }

    @Test
    void shouldStartANewTargetFromTheReplicasOfAMoveInProgress() {
        reassign(List.of(2, 3));

        reassign(List.of(2, 4));

        PartitionRegistration moving = partition();
        assertThat(moving.replicas()).containsExactly(2, 4, 1, 3);
        assertThat(moving.addingReplicas()).containsExactly(4);
        assertThat(moving.removingReplicas()).containsExactly(1, 3);
    }

    @Test
    void shouldKeepAMoveGoingWhenItsRemovedLeaderIsFenced() {
        reassign(List.of(2, 3));
        cluster.advance(ControllerHarness.SESSION_TIMEOUT_MS + 1);
        for (int broker = 2; broker <= 4; broker++) {
            cluster.heartbeat(broker, epochs[broker]);
        }

        cluster.fenceExpired();

        PartitionRegistration partition = partition();
        assertThat(partition.leader()).isEqualTo(2);
        assertThat(partition.isReassigning()).as("broker 3 is not in sync yet").isTrue();
        assertThat(partition.isr()).containsExactly(2);
    }

    @Test
    void shouldRefuseBadListsCancelWithoutMoveAndReplicaCountChangesWhenNotAllowed() {
        List<?> results = (List<?>) cluster.handle(new AlterReassignments(List.of(new Reassignment(id, List.of(1, 7)),
                new Reassignment(id, List.of(1, 1)), new Reassignment(id, List.of()), new Reassignment(id, null),
                new Reassignment(new PartitionId(id.topicId(), 5), List.of(1)), new Reassignment(id, List.of(1, 2, 3))), false));

        assertThat(results).extracting(r -> Errors.forCode(((PartitionResult) r).errorCode())).containsExactly(Errors.INVALID_REPLICA_ASSIGNMENT,
                Errors.INVALID_REPLICA_ASSIGNMENT, Errors.INVALID_REPLICA_ASSIGNMENT, Errors.NO_REASSIGNMENT_IN_PROGRESS,
                Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.INVALID_REPLICATION_FACTOR);
        assertThat(partition().replicas()).containsExactly(1, 2);
        assertThat(partition().isReassigning()).isFalse();
    }

    private PartitionResult reassign(List<Integer> replicas) {
        return (PartitionResult) ((List<?>) cluster.handle(new AlterReassignments(List.of(new Reassignment(id, replicas))))).get(0);
    }

    private IsrChangeResult alterIsr(int leader, PartitionRegistration partition, int... isr) {
        List<IsrMember> members = Arrays.stream(isr).mapToObj(b -> new IsrMember(b, epochs[b])).toList();
        IsrChange change = new IsrChange(id.topicId(), 0, partition.leaderEpoch(), partition.partitionEpoch(), members);
        return (IsrChangeResult) ((List<?>) cluster.handle(new AlterPartition(leader, epochs[leader], List.of(change)))).get(0);
    }

    private PartitionRegistration partition() {
        return cluster.partition("t", 0);
    }
}
