package io.runnel.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.AlterPartition;
import io.runnel.metadata.controller.ControllerCommand.AlterReassignments;
import io.runnel.metadata.controller.ControllerCommand.CreateTopic;
import io.runnel.metadata.controller.ControllerCommand.IsrChange;
import io.runnel.metadata.controller.ControllerCommand.IsrMember;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.metadata.controller.ControllerCommand.Reassignment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** auto.leader.rebalance.enable: leadership goes back to preferred replicas that are in sync, broker by broker past the imbalance share. */
class LeaderBalancerTest {

    private final ControllerHarness cluster = new ControllerHarness(3);
    private long[] epochs;

    @Test
    void shouldHandLeadershipBackToAPreferredReplicaOnceItIsInSyncAgain() {
        TopicMetadata topic = topic(1, List.of(1, 2, 3));
        cluster.advance(ControllerHarness.SESSION_TIMEOUT_MS + 1);
        cluster.heartbeat(2, epochs[2]);
        cluster.heartbeat(3, epochs[3]);
        cluster.fenceExpired();
        cluster.heartbeat(1, epochs[1]);
        PartitionRegistration failedOver = partition(topic, 0);

        cluster.balanceLeaders();
        PartitionRegistration notInSync = partition(topic, 0);
        cluster.handle(new AlterPartition(2, epochs[2], List.of(new IsrChange(topic.id(), 0, notInSync.leaderEpoch(), notInSync.partitionEpoch(),
                List.of(new IsrMember(2, epochs[2]), new IsrMember(3, epochs[3]), new IsrMember(1, epochs[1]))))));
        cluster.balanceLeaders();

        assertThat(failedOver.leader()).isEqualTo(2);
        assertThat(notInSync.leader()).as("broker 1 is back but not in sync").isEqualTo(2);
        assertThat(partition(topic, 0).leader()).isEqualTo(1);
        assertThat(partition(topic, 0).leaderEpoch()).isEqualTo(notInSync.leaderEpoch() + 1);
    }

    @Test
    void shouldMoveLeadersBackOnlyWhenABrokersShareLedElsewhereExceedsThePercentage() {
        TopicMetadata topic = topic(20, List.of(1, 2));
        leadElsewhere(topic, 0, 1);

        cluster.balanceLeaders();
        assertThat(leaders(topic, 0, 1)).as("2 of 20 is 10%, not above it").containsOnly(2);

        leadElsewhere(topic, 2);
        cluster.balanceLeaders();
        assertThat(leaders(topic, 0, 1, 2)).as("3 of 20 is above 10%").containsOnly(1);
    }

    @Test
    void shouldLeaveAlonePartitionsBeingReassigned() {
        TopicMetadata topic = topic(1, List.of(1, 2));
        leadElsewhere(topic, 0);
        cluster.handle(new AlterReassignments(List.of(new Reassignment(new PartitionId(topic.id(), 0), List.of(1, 2, 3)))));

        cluster.balanceLeaders();

        assertThat(partition(topic, 0).isReassigning()).isTrue();
        assertThat(partition(topic, 0).leader()).isEqualTo(2);
    }

    private TopicMetadata topic(int partitions, List<Integer> replicas) {
        epochs = cluster.activeBrokers(null, null, null);
        Map<Integer, List<Integer>> assignments = new HashMap<>();
        IntStream.range(0, partitions).forEach(i -> assignments.put(i, replicas));
        return (TopicMetadata) cluster.handle(new CreateTopic("t", partitions, 0, assignments, Map.of(), false));
    }

    /** Broker 2 leads these partitions, as after a failover (broker 1 stays in sync). */
    private void leadElsewhere(TopicMetadata topic, int... partitions) {
        for (int index : partitions) {
            cluster.commit(List.of(new PartitionChangeRecord(topic.id(), index, 2, null, null, null)));
        }
    }

    private List<Integer> leaders(TopicMetadata topic, int... partitions) {
        return IntStream.of(partitions).mapToObj(i -> partition(topic, i).leader()).toList();
    }

    private PartitionRegistration partition(TopicMetadata topic, int index) {
        return cluster.image().topic(topic.id()).orElseThrow().partition(index);
    }
}
