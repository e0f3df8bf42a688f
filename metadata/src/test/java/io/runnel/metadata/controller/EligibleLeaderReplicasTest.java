package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerHarness.SESSION_TIMEOUT_MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.AlterBrokerConfigs;
import io.runnel.metadata.controller.ControllerCommand.AlterPartition;
import io.runnel.metadata.controller.ControllerCommand.AlterTopicConfigs;
import io.runnel.metadata.controller.ControllerCommand.CreateTopic;
import io.runnel.metadata.controller.ControllerCommand.ElectLeaders;
import io.runnel.metadata.controller.ControllerCommand.IsrChange;
import io.runnel.metadata.controller.ControllerCommand.IsrMember;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** KIP-966 eligible leader replicas and unclean elections on the controller, as Kafka 4 with ELR on. */
class EligibleLeaderReplicasTest {

    private ControllerHarness cluster = new ControllerHarness(5);
    private long[] epochs;
    private final Uuid[] directories = {null, Uuid.randomUuid(), Uuid.randomUuid(), Uuid.randomUuid()};

    @Test
    void shouldMoveMembersLeavingTheIsrBelowMinIsrIntoTheElrAndClearItAtMinIsr() {
        Uuid id = topic(Map.of("min.insync.replicas", "2"), 1, 2, 3);

        shrinkIsr(id, 1, 2);
        PartitionRegistration atMinIsr = partition();
        shrinkIsr(id, 1);
        PartitionRegistration belowMinIsr = partition();
        shrinkIsr(id, 1, 2, 3);

        assertThat(atMinIsr.elr()).isEmpty();
        assertThat(belowMinIsr.isr()).containsExactly(1);
        assertThat(belowMinIsr.elr()).as("3 left while the ISR was at min.insync.replicas: the high watermark moved on without it")
                .containsExactly(2);
        assertThat(partition().elr()).as("back at min.insync.replicas").isEmpty();
    }

    @Test
    void shouldElectAnActiveEligibleReplicaWhenNoInSyncReplicaIsLeft() {
        Uuid id = topic(Map.of("min.insync.replicas", "2"), 1, 2, 3);
        shrinkIsr(id, 1);

        fence(1);

        PartitionRegistration partition = partition();
        assertThat(partition.leader()).isEqualTo(2);
        assertThat(partition.isr()).containsExactly(2);
        assertThat(partition.elr()).containsExactly(1, 3);
    }

    @Test
    void shouldKeepTheLastMemberEligibleAndLetOnlyItLeadAgain() {
        topic(Map.of(), 1, 2);
        fence(2);
        fence(1);
        PartitionRegistration offline = partition();

        cluster.heartbeat(2, epochs[2]);
        PartitionRegistration afterOtherReturned = partition();
        cluster.heartbeat(1, epochs[1]);

        assertThat(offline.isr()).isEmpty();
        assertThat(offline.elr()).containsExactly(1);
        assertThat(offline.lastKnownElr()).containsExactly(1);
        assertThat(afterOtherReturned.leader()).as("broker 2 left the ISR while it was still at min.insync.replicas").isEqualTo(-1);
        assertThat(partition().leader()).isEqualTo(1);
        assertThat(partition().isr()).containsExactly(1);
    }

    @Test
    void shouldDropABrokerBackFromAnUncleanShutdownFromTheElrButKeepACleanOne() {
        Uuid id = topic(Map.of("min.insync.replicas", "3"), 1, 2, 3);
        shrinkIsr(id, 1);

        long cleanEpoch = epochs[2];
        cluster.register(2, Uuid.randomUuid(), directories[2], null, cleanEpoch);
        cluster.register(3, Uuid.randomUuid(), directories[3], null);

        assertThat(partition().elr()).containsExactly(2);
    }

    @Test
    void shouldElectTheLastKnownLeaderBackFromAnUncleanShutdownWhenNothingElseIsLeft() {
        topic(Map.of(), 1);
        fence(1);

        long restarted = cluster.register(1, Uuid.randomUuid(), directories[1], null);
        PartitionRegistration registered = partition();
        cluster.heartbeat(1, restarted);

        assertThat(registered.elr()).isEmpty();
        assertThat(registered.lastKnownElr()).containsExactly(1);
        assertThat(partition().leader()).isEqualTo(1);
        assertThat(partition().isr()).containsExactly(1);
        assertThat(partition().lastKnownElr()).isEmpty();
    }

    @Test
    void shouldNotElectALiveReplicaOutsideIsrAndElrUnlessTheTopicAllowsUncleanElection() {
        Uuid id = topic(Map.of(), 1, 2);
        shrinkIsr(id, 1);
        fence(1);
        PartitionRegistration offline = partition();

        cluster.handle(new AlterTopicConfigs(id, Map.of("unclean.leader.election.enable", "true")));

        assertThat(offline.leader()).isEqualTo(-1);
        assertThat(partition().leader()).isEqualTo(2);
        assertThat(partition().isr()).containsExactly(2);
        assertThat(partition().elr()).isEmpty();
    }

    @Test
    void shouldElectUncleanlyOnItsOwnWhenTheStaticDefaultAllowsIt() {
        cluster = new ControllerHarness(5, new ControllerConfig(1, true));
        Uuid id = topic(Map.of(), 1, 2);
        shrinkIsr(id, 1);

        fence(1);

        assertThat(partition().leader()).isEqualTo(2);
    }

    @Test
    void shouldTakeTheTopicOverrideThenTheClusterDefaultThenTheStaticConfig() {
        cluster = new ControllerHarness(5, new ControllerConfig(3, false));
        Uuid strict = topic(Map.of(), 1, 2, 3);
        TopicMetadata overridden = (TopicMetadata) cluster.handle(new CreateTopic("o", 1, 0, Map.of(0, List.of(1, 2, 3)),
                Map.of("min.insync.replicas", "1"), false));
        ReplicationConfigs configs = new ReplicationConfigs(cluster.image(), new ControllerConfig(3, false));

        assertThat(configs.minInsyncReplicas(cluster.image().topic(strict).orElseThrow())).isEqualTo(3);
        assertThat(configs.minInsyncReplicas(overridden)).isEqualTo(1);
        cluster.handle(new AlterBrokerConfigs("", Map.of("min.insync.replicas", "2", "unclean.leader.election.enable", "true")));
        ReplicationConfigs withDefault = new ReplicationConfigs(cluster.image(), new ControllerConfig(3, false));
        assertThat(withDefault.minInsyncReplicas(cluster.image().topic(strict).orElseThrow())).isEqualTo(2);
        assertThat(withDefault.minInsyncReplicas(cluster.image().topic(overridden.id()).orElseThrow())).isEqualTo(1);
        assertThat(withDefault.uncleanLeaderElection(overridden)).isTrue();
    }

    @Test
    void shouldBoundMinIsrByTheReplicaCount() {
        cluster = new ControllerHarness(5, new ControllerConfig(3, false));
        Uuid id = topic(Map.of(), 1, 2);

        shrinkIsr(id, 1);

        assertThat(partition().elr()).as("min.insync.replicas 3 counts as 2 for two replicas").containsExactly(2);
    }

    @Test
    void shouldForgetEligibleLeadersWhenMinIsrChanges() {
        Uuid id = topic(Map.of("min.insync.replicas", "3"), 1, 2, 3);
        shrinkIsr(id, 1);
        assertThat(partition().elr()).containsExactly(2, 3);

        cluster.handle(new AlterTopicConfigs(id, Map.of("min.insync.replicas", "3", "retention.ms", "5")));
        assertThat(partition().elr()).as("same value: kept").containsExactly(2, 3);
        cluster.handle(new AlterTopicConfigs(id, Map.of("min.insync.replicas", "2")));

        assertThat(partition().elr()).isEmpty();
    }

    @Test
    void shouldElectThePreferredReplicaOnlyOnceItIsBackInTheIsr() {
        Uuid id = topic(Map.of("min.insync.replicas", "3"), 1, 2, 3);
        shrinkIsr(id, 1);
        fence(1);
        cluster.heartbeat(1, epochs[1]);
        PartitionRegistration eligibleOnly = partition();

        PartitionResult refused = electPreferred(id);
        shrinkIsr(id, 2, 1);
        PartitionResult elected = electPreferred(id);

        assertThat(eligibleOnly.leader()).isEqualTo(2);
        assertThat(eligibleOnly.elr()).containsExactly(1, 3);
        assertThat(refused.errorCode()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE.code());
        assertThat(elected.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition().leader()).isEqualTo(1);
    }

    private PartitionResult electPreferred(Uuid id) {
        return (PartitionResult) ((List<?>) cluster.handle(new ElectLeaders(false, List.of(new PartitionId(id, 0))))).get(0);
    }

    @Test
    void shouldAnswerAnOperatorsUncleanElectionWhateverTheTopicConfig() {
        Uuid id = topic(Map.of(), 1, 2);
        shrinkIsr(id, 1);
        fence(1);

        List<?> results = (List<?>) cluster.handle(new ElectLeaders(true, List.of(new PartitionId(id, 0))));

        assertThat(((PartitionResult) results.get(0)).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition().leader()).isEqualTo(2);
    }

    private Uuid topic(Map<String, String> configs, Integer... replicas) {
        epochs = new long[4];
        for (int id = 1; id <= 3; id++) {
            epochs[id] = cluster.register(id, Uuid.randomUuid(), directories[id], null);
            cluster.heartbeat(id, epochs[id]);
        }
        TopicMetadata topic = (TopicMetadata) cluster.handle(new CreateTopic("t", 1, 0, Map.of(0, Arrays.asList(replicas)), configs, false));
        return topic.id();
    }

    private void shrinkIsr(Uuid id, int... isr) {
        PartitionRegistration partition = partition();
        List<IsrMember> members = Arrays.stream(isr).mapToObj(b -> new IsrMember(b, epochs[b])).toList();
        cluster.handle(new AlterPartition(partition.leader(), epochs[partition.leader()],
                List.of(new IsrChange(id, 0, partition.leaderEpoch(), partition.partitionEpoch(), members))));
    }

    /** Broker {@code id}'s session expires while the others heartbeat. */
    private void fence(int id) {
        cluster.advance(SESSION_TIMEOUT_MS + 1);
        heartbeatAllBut(id);
        cluster.fenceExpired();
    }

    private void heartbeatAllBut(int id) {
        for (int other = 1; other <= 3; other++) {
            if (other != id && !cluster.image().broker(other).orElseThrow().fenced()) {
                cluster.heartbeat(other, epochs[other]);
            }
        }
    }

    private PartitionRegistration partition() {
        return cluster.partition("t", 0);
    }
}
