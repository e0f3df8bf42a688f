package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerHarness.SESSION_TIMEOUT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.CreatePartitions;
import io.runnel.metadata.controller.ControllerCommand.CreateTopic;
import io.runnel.metadata.controller.ControllerCommand.DeleteTopic;
import io.runnel.metadata.controller.ControllerCommand.ElectLeaders;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import io.runnel.metadata.controller.ControllerCommand.HeartbeatReply;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.metadata.controller.ControllerCommand.RegisterBroker;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.DuplicateBrokerRegistrationException;
import org.apache.kafka.common.errors.InconsistentClusterIdException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterControllerTest {

    private final ControllerHarness cluster = new ControllerHarness(42);

    @Test
    void shouldGiveIncreasingEpochsAndStartFenced() {
        long first = cluster.register(1, Uuid.randomUuid(), null);
        long second = cluster.register(2, Uuid.randomUuid(), null);

        assertThat(second).isGreaterThan(first);
        assertThat(cluster.image().broker(1).orElseThrow().fenced()).isTrue();
        assertThat(cluster.image().broker(2).orElseThrow().epoch()).isEqualTo(second);
    }

    @Test
    void shouldUnfenceOnHeartbeatThatHasCaughtUp() {
        long epoch = cluster.register(1, Uuid.randomUuid(), null);

        HeartbeatReply reply = cluster.heartbeat(1, epoch);

        assertThat(reply.fenced()).isFalse();
        assertThat(cluster.image().broker(1).orElseThrow().fenced()).isFalse();
    }

    @Test
    void shouldKeepFencedWhileHeartbeatIsBehindItsRegistration() {
        long epoch = cluster.register(1, Uuid.randomUuid(), null);

        HeartbeatReply reply = cluster.heartbeat(1, epoch, cluster.image().offset() - 1, false);

        assertThat(reply.fenced()).isTrue();
        assertThat(cluster.image().broker(1).orElseThrow().fenced()).isTrue();
    }

    @Test
    void shouldRefuseHeartbeatWithStaleEpoch() {
        long epoch = cluster.register(1, Uuid.randomUuid(), null);

        assertThatThrownBy(() -> cluster.heartbeat(1, epoch - 1)).isInstanceOf(StaleBrokerEpochException.class);
    }

    @Test
    void shouldRefuseHeartbeatOfUnknownBroker() {
        assertThatThrownBy(() -> cluster.heartbeat(9, 1)).isInstanceOf(BrokerIdNotRegisteredException.class);
    }

    @Test
    void shouldRefuseSecondIncarnationWithAnotherDirectoryWhileFirstHeartbeats() {
        long epoch = cluster.register(1, Uuid.randomUuid(), null);
        cluster.advance(SESSION_TIMEOUT_MS / 2);
        cluster.heartbeat(1, epoch);

        assertThatThrownBy(() -> cluster.register(1, Uuid.randomUuid(), null)).isInstanceOf(DuplicateBrokerRegistrationException.class);
        assertThat(cluster.image().broker(1).orElseThrow().epoch()).isEqualTo(epoch);
    }

    @Test
    void shouldAcceptRestartWithSameDirectoryAndMoveItsLeaderships() {
        Uuid directory = Uuid.randomUuid();
        cluster.activeBrokers(null, null, null);
        long epoch = cluster.register(4, directory, null);
        cluster.heartbeat(4, epoch);
        cluster.handle(new CreateTopic("t", 1, 2, Map.of(0, List.of(4, 1)), Map.of(), false));
        PartitionRegistration before = cluster.partition("t", 0);

        long restarted = cluster.register(4, directory, null);

        PartitionRegistration after = cluster.partition("t", 0);
        assertThat(restarted).isGreaterThan(epoch);
        assertThat(before.leader()).isEqualTo(4);
        assertThat(after.leader()).isEqualTo(1);
        assertThat(after.leaderEpoch()).isGreaterThan(before.leaderEpoch());
        assertThat(after.isr()).containsExactly(1);
    }

    @Test
    void shouldRefuseRegistrationWithAnotherClusterId() {
        RegisterBroker register = new RegisterBroker(1, Uuid.randomUuid(), Uuid.randomUuid(), "other-cluster",
                List.of(new BrokerEndpoint("PLAINTEXT", "h", 1)), null);

        assertThatThrownBy(() -> cluster.handle(register)).isInstanceOf(InconsistentClusterIdException.class);
    }

    @Test
    void shouldSpreadPartitionsAndLeadersEvenly() {
        cluster.activeBrokers(null, null, null);

        TopicMetadata topic = cluster.createTopic("t", 6, 3);

        Map<Integer, Integer> leaders = new HashMap<>();
        for (PartitionRegistration partition : topic.partitions()) {
            leaders.merge(partition.leader(), 1, Integer::sum);
            assertThat(partition.replicas()).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(partition.leader()).isEqualTo(partition.replicas().get(0));
            assertThat(partition.isr()).isEqualTo(partition.replicas());
        }
        assertThat(leaders).containsOnly(Map.entry(1, 2), Map.entry(2, 2), Map.entry(3, 2));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void shouldSpreadReplicasOfEachPartitionAcrossRacks(long seed) {
        ControllerHarness racked = new ControllerHarness(seed);
        racked.activeBrokers("a", "a", "b", "b", "c", "c");
        Map<Integer, String> racks = Map.of(1, "a", 2, "a", 3, "b", 4, "b", 5, "c", 6, "c");

        TopicMetadata topic = racked.createTopic("t", 12, 3);

        for (PartitionRegistration partition : topic.partitions()) {
            Set<String> used = partition.replicas().stream().map(racks::get).collect(Collectors.toSet());
            assertThat(used).as("racks of %s", partition.replicas()).hasSize(3);
        }
    }

    @Test
    void shouldHonourExplicitAssignments() {
        cluster.activeBrokers(null, null, null);

        cluster.handle(new CreateTopic("t", 2, 0, Map.of(0, List.of(3, 1), 1, List.of(2, 3)), Map.of(), false));

        assertThat(cluster.partition("t", 0).replicas()).containsExactly(3, 1);
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(3);
        assertThat(cluster.partition("t", 1).replicas()).containsExactly(2, 3);
        assertThat(cluster.partition("t", 1).leader()).isEqualTo(2);
    }

    @Test
    void shouldLeaveFencedReplicasOutOfTheIsrOfANewPartitionAndRefuseOneWithNoActiveReplica() {
        cluster.activeBrokers(null, null);
        cluster.register(3, Uuid.randomUuid(), null);

        cluster.handle(new CreateTopic("t", 1, 0, Map.of(0, List.of(3, 2, 1)), Map.of(), false));

        assertThat(cluster.partition("t", 0).isr()).containsExactly(2, 1);
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(2);
        assertThatThrownBy(() -> cluster.handle(new CreateTopic("u", 1, 0, Map.of(0, List.of(3)), Map.of(), false)))
                .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("fenced");
    }

    @Test
    void shouldRefuseAssignmentWithUnknownBroker() {
        cluster.activeBrokers(null, null);

        assertThatThrownBy(() -> cluster.handle(new CreateTopic("t", 1, 0, Map.of(0, List.of(1, 7)), Map.of(), false)))
                .isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThat(cluster.image().topic("t")).isEmpty();
    }

    @Test
    void shouldRefuseAssignmentWithDuplicateBroker() {
        cluster.activeBrokers(null, null);

        assertThatThrownBy(() -> cluster.handle(new CreateTopic("t", 1, 0, Map.of(0, List.of(1, 1)), Map.of(), false)))
                .isInstanceOf(InvalidReplicaAssignmentException.class);
    }

    @Test
    void shouldRefuseEmptyAssignment() {
        cluster.activeBrokers(null, null);

        assertThatThrownBy(() -> cluster.handle(new CreateTopic("t", 1, 0, Map.of(0, List.of()), Map.of(), false)))
                .isInstanceOf(InvalidReplicaAssignmentException.class);
    }

    @Test
    void shouldRefuseReplicationFactorAboveActiveBrokers() {
        cluster.activeBrokers(null, null);
        cluster.register(3, Uuid.randomUuid(), null);

        assertThatThrownBy(() -> cluster.createTopic("t", 1, 3)).isInstanceOf(InvalidReplicationFactorException.class);
    }

    @Test
    void shouldMoveLeadershipToIsrMemberWhenSessionExpires() {
        long[] epochs = cluster.activeBrokers(null, null, null);
        cluster.createTopic("t", 6, 3);

        cluster.advance(SESSION_TIMEOUT_MS + 1);
        cluster.heartbeat(2, epochs[2]);
        cluster.heartbeat(3, epochs[3]);
        cluster.fenceExpired();

        assertThat(cluster.image().broker(1).orElseThrow().fenced()).isTrue();
        for (PartitionRegistration partition : cluster.topic("t").partitions()) {
            assertThat(partition.leader()).isIn(2, 3);
            assertThat(partition.isr()).containsExactlyInAnyOrder(2, 3);
        }
    }

    @Test
    void shouldLeaveSingleReplicaPartitionOfflineUntilItsBrokerReturns() {
        long[] epochs = cluster.activeBrokers(null, null);
        cluster.handle(new CreateTopic("t", 1, 1, Map.of(0, List.of(1)), Map.of(), false));
        int epochBefore = cluster.partition("t", 0).leaderEpoch();

        cluster.advance(SESSION_TIMEOUT_MS + 1);
        cluster.heartbeat(2, epochs[2]);
        cluster.fenceExpired();
        PartitionRegistration offline = cluster.partition("t", 0);
        cluster.heartbeat(1, epochs[1]);
        PartitionRegistration back = cluster.partition("t", 0);

        assertThat(offline.leader()).isEqualTo(PartitionRegistration.NO_LEADER);
        assertThat(offline.isr()).as("KIP-966: the last member waits as an eligible leader").isEmpty();
        assertThat(offline.elr()).containsExactly(1);
        assertThat(offline.lastKnownElr()).containsExactly(1);
        assertThat(back.isr()).containsExactly(1);
        assertThat(back.elr()).isEmpty();
        assertThat(back.lastKnownElr()).isEmpty();
        assertThat(back.leader()).isEqualTo(1);
        assertThat(back.leaderEpoch()).isGreaterThan(offline.leaderEpoch()).isGreaterThan(epochBefore);
    }

    @Test
    void shouldHandOverLeadershipsOnControlledShutdown() {
        long[] epochs = cluster.activeBrokers(null, null, null);
        cluster.createTopic("t", 6, 3);

        HeartbeatReply reply = cluster.heartbeat(1, epochs[1], cluster.image().offset(), true);

        assertThat(reply.shouldShutDown()).isTrue();
        for (PartitionRegistration partition : cluster.topic("t").partitions()) {
            assertThat(partition.leader()).isIn(2, 3);
            assertThat(partition.isr()).doesNotContain(1);
        }
        assertThat(cluster.image().broker(1).orElseThrow().isActive()).isFalse();
    }

    @Test
    void shouldElectPreferredLeaderWhenItIsBack() {
        long[] epochs = cluster.activeBrokers(null, null);
        cluster.handle(new CreateTopic("t", 2, 0, Map.of(0, List.of(1, 2), 1, List.of(2, 1)), Map.of(), false));
        cluster.heartbeat(1, epochs[1], cluster.image().offset(), true);
        cluster.heartbeat(1, epochs[1]);
        // broker 1 left the ISR of partition 0 on shutdown; the model has no ISR expansion, so put it back by hand
        PartitionRegistration moved = cluster.partition("t", 0);
        Uuid id = cluster.topic("t").id();
        cluster.commit(List.of(new io.runnel.metadata.MetadataRecord.PartitionChangeRecord(id, 0,
                io.runnel.metadata.MetadataRecord.PartitionChangeRecord.NO_LEADER_CHANGE, List.of(2, 1), null, null)));

        @SuppressWarnings("unchecked")
        List<PartitionResult> results = (List<PartitionResult>) cluster.handle(
                new ElectLeaders(false, List.of(new PartitionId(id, 0), new PartitionId(id, 1), new PartitionId(id, 5))));

        assertThat(moved.leader()).isEqualTo(2);
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(1);
        assertThat(results).extracting(PartitionResult::errorCode).containsExactly(Errors.NONE.code(),
                Errors.ELECTION_NOT_NEEDED.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldRefusePreferredElectionWhenPreferredIsNotInSync() {
        long[] epochs = cluster.activeBrokers(null, null);
        cluster.handle(new CreateTopic("t", 1, 0, Map.of(0, List.of(1, 2)), Map.of(), false));
        cluster.heartbeat(1, epochs[1], cluster.image().offset(), true);
        cluster.heartbeat(1, epochs[1]);
        Uuid id = cluster.topic("t").id();

        @SuppressWarnings("unchecked")
        List<PartitionResult> results = (List<PartitionResult>) cluster.handle(new ElectLeaders(false, List.of(new PartitionId(id, 0))));

        assertThat(results.get(0).errorCode()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE.code());
        assertThat(cluster.partition("t", 0).leader()).isEqualTo(2);
    }

    @Test
    void shouldAddPartitions() {
        cluster.activeBrokers(null, null, null);
        TopicMetadata topic = cluster.createTopic("t", 2, 2);

        cluster.handle(new CreatePartitions(topic.id(), 5, List.of(), false));

        TopicMetadata grown = cluster.topic("t");
        assertThat(grown.partitionCount()).isEqualTo(5);
        assertThat(grown.partitions()).allSatisfy(partition -> {
            assertThat(partition.replicas()).hasSize(2).doesNotHaveDuplicates();
            assertThat(partition.leader()).isEqualTo(partition.replicas().get(0));
        });
        assertThat(grown.partitions().subList(0, 2)).isEqualTo(topic.partitions());
    }

    @Test
    void shouldRefusePartitionCountNotAboveCurrent() {
        cluster.activeBrokers(null, null);
        TopicMetadata topic = cluster.createTopic("t", 2, 1);

        assertThatThrownBy(() -> cluster.handle(new CreatePartitions(topic.id(), 2, List.of(), false)))
                .isInstanceOf(InvalidPartitionsException.class);
    }

    @Test
    void shouldDeleteTopic() {
        cluster.activeBrokers((String) null);
        TopicMetadata topic = cluster.createTopic("t", 3, 1);

        Object reply = cluster.handle(new DeleteTopic(topic.id()));

        assertThat(reply).isEqualTo(topic);
        assertThat(cluster.image().topic("t")).isEmpty();
        assertThat(cluster.image().topic(topic.id())).isEmpty();
        assertThatThrownBy(() -> cluster.handle(new DeleteTopic(topic.id()))).isInstanceOf(UnknownTopicIdException.class);
    }

    @Test
    void shouldGiveBrokersFullSessionAfterFailover() {
        long[] epochs = cluster.activeBrokers(null, null);
        cluster.advance(SESSION_TIMEOUT_MS - 1);
        cluster.heartbeat(2, epochs[2]);

        cluster.failover();
        cluster.advance(SESSION_TIMEOUT_MS);

        assertThat(cluster.fenceExpired()).isEmpty();
        Set<Integer> fenced = new HashSet<>();
        cluster.advance(2);
        cluster.fenceExpired();
        cluster.image().brokers().values().forEach(broker -> {
            if (broker.fenced()) {
                fenced.add(broker.id());
            }
        });
        assertThat(fenced).containsExactlyInAnyOrder(1, 2);
    }
}
