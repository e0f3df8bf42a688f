package io.runnel.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.AlterPartition;
import io.runnel.metadata.controller.ControllerCommand.CreateTopic;
import io.runnel.metadata.controller.ControllerCommand.IsrChange;
import io.runnel.metadata.controller.ControllerCommand.IsrChangeResult;
import io.runnel.metadata.controller.ControllerCommand.IsrMember;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AlterPartition, the ISR change protocol, on the controller: partition "t-0" on brokers 1, 2, 3, led by 1. */
class AlterPartitionTest {

    private final ControllerHarness cluster = new ControllerHarness(7);
    private long[] epochs;
    private Uuid topicId;

    @BeforeEach
    void createPartition() {
        epochs = cluster.activeBrokers(null, null, null, null);
        TopicMetadata topic = (TopicMetadata) cluster.handle(new CreateTopic("t", 1, 0, Map.of(0, List.of(1, 2, 3)), Map.of(), false));
        topicId = topic.id();
    }

    @Test
    void shouldShrinkIsrAndRaiseOnlyThePartitionEpoch() {
        PartitionRegistration before = partition();

        IsrChangeResult result = alter(change(before, 1, 2));

        PartitionRegistration after = partition();
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(after.isr()).containsExactly(1, 2);
        assertThat(after.leader()).isEqualTo(1);
        assertThat(after.leaderEpoch()).isEqualTo(before.leaderEpoch());
        assertThat(after.partitionEpoch()).isEqualTo(before.partitionEpoch() + 1);
        assertThat(result.registration()).isEqualTo(after);
    }

    @Test
    void shouldExpandIsrWithMembersAtTheirBrokerEpochs() {
        alter(change(partition(), 1));

        IsrChangeResult result = alter(new IsrChange(topicId, 0, partition().leaderEpoch(), partition().partitionEpoch(),
                List.of(new IsrMember(1, epochs[1]), new IsrMember(3, epochs[3]))));

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition().isr()).containsExactly(1, 3);
    }

    @Test
    void shouldAnswerAChangeThatChangesNothingWithThePartitionAndWriteNothing() {
        PartitionRegistration before = partition();
        MetadataImage imageBefore = cluster.image();

        IsrChangeResult result = alter(change(before, 1, 2, 3));

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.registration()).isEqualTo(before);
        assertThat(cluster.image()).isSameAs(imageBefore);
    }

    @Test
    void shouldRefuseStaleLeaderEpochAndWriteNothing() {
        PartitionRegistration before = partition();

        assertRefused(new IsrChange(topicId, 0, before.leaderEpoch() - 1, before.partitionEpoch(), members(1, 2)), Errors.FENCED_LEADER_EPOCH);
    }

    @Test
    void shouldRefuseStalePartitionEpochAndWriteNothing() {
        PartitionRegistration first = partition();
        alter(change(first, 1, 2));

        assertRefused(change(first, 1), Errors.INVALID_UPDATE_VERSION);
        assertThat(partition().isr()).containsExactly(1, 2);
    }

    @Test
    void shouldAnswerNotControllerForEpochsAheadOfTheController() {
        PartitionRegistration before = partition();

        assertRefused(new IsrChange(topicId, 0, before.leaderEpoch() + 1, before.partitionEpoch(), members(1)), Errors.NOT_CONTROLLER);
        assertRefused(new IsrChange(topicId, 0, before.leaderEpoch(), before.partitionEpoch() + 1, members(1)), Errors.NOT_CONTROLLER);
    }

    @Test
    void shouldRefuseSenderThatDoesNotLead() {
        IsrChange change = change(partition(), 2);

        IsrChangeResult result = (IsrChangeResult) ((List<?>) cluster.handle(new AlterPartition(2, epochs[2], List.of(change)))).get(0);

        assertThat(result.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(result.registration()).isNull();
    }

    @Test
    void shouldRefuseUnknownTopicAndPartition() {
        PartitionRegistration p = partition();

        assertRefused(new IsrChange(Uuid.randomUuid(), 0, p.leaderEpoch(), p.partitionEpoch(), members(1)), Errors.UNKNOWN_TOPIC_ID);
        assertRefused(new IsrChange(topicId, 1, p.leaderEpoch(), p.partitionEpoch(), members(1)), Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertRefused(new IsrChange(topicId, -1, p.leaderEpoch(), p.partitionEpoch(), members(1)), Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldRefuseEmptyIsrIsrWithoutLeaderAndRepeatedMember() {
        PartitionRegistration p = partition();

        assertRefused(change(p), Errors.INVALID_REQUEST);
        assertRefused(change(p, 2, 3), Errors.INVALID_REQUEST);
        assertRefused(change(p, 1, 2, 2), Errors.INVALID_REQUEST);
        assertRefused(change(p, 1, -1), Errors.INVALID_REQUEST);
    }

    @Test
    void shouldRefuseMemberThatIsNotAReplica() {
        assertRefused(change(partition(), 1, 4), Errors.INELIGIBLE_REPLICA);
    }

    @Test
    void shouldRefuseFencedMember() {
        cluster.advance(ControllerHarness.SESSION_TIMEOUT_MS + 1);
        cluster.heartbeat(1, epochs[1]);
        cluster.heartbeat(2, epochs[2]);
        cluster.fenceExpired();
        cluster.heartbeat(3, epochs[3], 0, false);

        assertThat(cluster.image().broker(3).orElseThrow().fenced()).isTrue();
        assertRefused(change(partition(), 1, 2, 3), Errors.INELIGIBLE_REPLICA);
    }

    @Test
    void shouldRefuseMemberInControlledShutdown() {
        alter(change(partition(), 1, 2));
        // a broker stays in controlled shutdown while it still leads partitions it cannot hand over
        cluster.commit(List.of(new io.runnel.metadata.MetadataRecord.BrokerRegistrationChangeRecord(3, epochs[3], false, true)));

        assertRefused(change(partition(), 1, 2, 3), Errors.INELIGIBLE_REPLICA);
    }

    @Test
    void shouldRefuseMemberWhoseGivenBrokerEpochIsNotItsRegisteredOne() {
        alter(change(partition(), 1, 2));
        PartitionRegistration p = partition();

        assertRefused(new IsrChange(topicId, 0, p.leaderEpoch(), p.partitionEpoch(),
                List.of(new IsrMember(1, epochs[1]), new IsrMember(2, epochs[2]), new IsrMember(3, epochs[3] - 1))), Errors.INELIGIBLE_REPLICA);
    }

    @Test
    void shouldRefuseUnregisteredSenderAndSenderOfAnotherEpochWhole() {
        IsrChange change = change(partition(), 1, 2);

        assertThatThrownBy(() -> cluster.handle(new AlterPartition(9, 1, List.of(change)))).isInstanceOf(StaleBrokerEpochException.class);
        assertThatThrownBy(() -> cluster.handle(new AlterPartition(1, epochs[1] + 100, List.of(change)))).isInstanceOf(StaleBrokerEpochException.class);
        assertThat(partition().isr()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldRefuseFencedSenderWhole() {
        IsrChange change = change(partition(), 1, 2);
        cluster.advance(ControllerHarness.SESSION_TIMEOUT_MS + 1);
        cluster.fenceExpired();

        assertThatThrownBy(() -> cluster.handle(new AlterPartition(1, epochs[1], List.of(change)))).isInstanceOf(BrokerNotAvailableException.class);
    }

    @Test
    void shouldDecideEachChangeOfOneRequestInOrderAgainstTheOnesBefore() {
        PartitionRegistration p = partition();

        List<?> results = (List<?>) cluster.handle(new AlterPartition(1, epochs[1], List.of(change(p, 1, 2), change(p, 1))));

        assertThat(results).extracting(r -> ((IsrChangeResult) r).errorCode()).containsExactly(Errors.NONE.code(), Errors.INVALID_UPDATE_VERSION.code());
        assertThat(partition().isr()).containsExactly(1, 2);
    }

    private void assertRefused(IsrChange change, Errors expected) {
        MetadataImage before = cluster.image();

        IsrChangeResult result = alter(change);

        assertThat(Errors.forCode(result.errorCode())).isEqualTo(expected);
        assertThat(result.registration()).isNull();
        assertThat(cluster.image()).as("nothing written").isSameAs(before);
    }

    private IsrChangeResult alter(IsrChange change) {
        List<?> results = (List<?>) cluster.handle(new AlterPartition(1, epochs[1], List.of(change)));
        assertThat(results).hasSize(1);
        return (IsrChangeResult) results.get(0);
    }

    private IsrChange change(PartitionRegistration partition, int... isr) {
        return new IsrChange(topicId, 0, partition.leaderEpoch(), partition.partitionEpoch(), members(isr));
    }

    private static List<IsrMember> members(int... ids) {
        return Arrays.stream(ids).mapToObj(id -> new IsrMember(id, IsrMember.UNKNOWN_EPOCH)).toList();
    }

    private PartitionRegistration partition() {
        return cluster.partition("t", 0);
    }
}
