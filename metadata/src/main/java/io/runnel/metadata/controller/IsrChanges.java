package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.AlterPartition;
import io.runnel.metadata.controller.ControllerCommand.IsrChange;
import io.runnel.metadata.controller.ControllerCommand.IsrChangeResult;
import io.runnel.metadata.controller.ControllerCommand.IsrMember;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The controller's side of AlterPartition, the ISR change protocol: a leader proposes a partition's new
 * ISR at the leader and partition epochs it knows; the controller takes it only if those are the
 * partition's epochs now, so a change made meanwhile (a new leader, a broker fenced) is never undone.
 * A refused change writes nothing. Each change is checked, in order, against the working image of
 * {@link PartitionChanges}, so two changes of one partition in one request see each other. Not
 * thread-safe; one per command.
 *
 * <p>Errors per change, in the order checked: UNKNOWN_TOPIC_ID (no such topic), UNKNOWN_TOPIC_OR_PARTITION
 * (no such partition), NOT_CONTROLLER (an epoch ahead of the controller's: it has not seen the change the
 * sender saw, as Kafka answers), FENCED_LEADER_EPOCH (an older leader epoch), NOT_LEADER_OR_FOLLOWER (the
 * sender does not lead the partition), INVALID_UPDATE_VERSION (an older partition epoch), INVALID_REQUEST
 * (an ISR that is empty, repeats a broker, names a negative id or leaves out the leader), INELIGIBLE_REPLICA
 * (a member that is not a replica, not registered, fenced, in controlled shutdown, or of another broker
 * epoch than the one given). A change that changes nothing writes nothing and succeeds with the partition
 * as it is, as Kafka's. A change that completes a reassignment and so moves leadership away from the
 * sender is written and answered NEW_LEADER_ELECTED.
 */
final class IsrChanges {

    private final PartitionChanges changes;

    IsrChanges(PartitionChanges changes) {
        this.changes = changes;
    }

    /**
     * Checks the sender of {@code alter}, whole, as Kafka's controller checks a broker epoch.
     *
     * @throws StaleBrokerEpochException if the sender is not registered or registered with another epoch
     * @throws BrokerNotAvailableException if the sender is fenced (it leads nothing)
     */
    static void checkSender(MetadataImage image, AlterPartition alter) {
        BrokerRegistration sender = image.brokers().get(alter.brokerId());
        if (sender == null) {
            throw new StaleBrokerEpochException("No broker registration found for broker id " + alter.brokerId() + ".");
        }
        if (sender.epoch() != alter.brokerEpoch()) {
            throw new StaleBrokerEpochException("Expected broker epoch " + sender.epoch() + ", but got broker epoch " + alter.brokerEpoch() + ".");
        }
        if (sender.fenced()) {
            throw new BrokerNotAvailableException("Broker " + alter.brokerId() + " is fenced.");
        }
    }

    /** Every change of {@code alter}, decided in order. */
    List<IsrChangeResult> apply(AlterPartition alter) {
        List<IsrChangeResult> results = new ArrayList<>(alter.changes().size());
        for (IsrChange change : alter.changes()) {
            results.add(apply(alter.brokerId(), change));
        }
        return results;
    }

    private IsrChangeResult apply(int senderId, IsrChange change) {
        Optional<TopicMetadata> topic = changes.image().topic(change.topicId());
        if (topic.isEmpty()) {
            return failed(change, Errors.UNKNOWN_TOPIC_ID);
        }
        if (change.partition() < 0 || change.partition() >= topic.get().partitionCount()) {
            return failed(change, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        PartitionRegistration partition = topic.get().partition(change.partition());
        Errors error = check(senderId, partition, change);
        if (error != Errors.NONE) {
            return failed(change, error);
        }
        List<Integer> isr = change.newIsr().stream().map(IsrMember::brokerId).toList();
        Optional<PartitionChangeRecord> record = changes.update(topic.get(), change.partition(), partition, changes::isActive).isr(isr).build();
        if (record.isEmpty()) {
            return new IsrChangeResult(change.topicId(), change.partition(), Errors.NONE.code(), partition);
        }
        changes.add(record.get());
        PartitionRegistration after = changes.image().topic(change.topicId()).orElseThrow().partition(change.partition());
        Errors outcome = after.leader() == senderId ? Errors.NONE : Errors.NEW_LEADER_ELECTED;
        return new IsrChangeResult(change.topicId(), change.partition(), outcome.code(), after);
    }

    private Errors check(int senderId, PartitionRegistration partition, IsrChange change) {
        if (change.leaderEpoch() > partition.leaderEpoch() || change.partitionEpoch() > partition.partitionEpoch()) {
            return Errors.NOT_CONTROLLER;
        }
        if (change.leaderEpoch() < partition.leaderEpoch()) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        if (senderId != partition.leader()) {
            return Errors.NOT_LEADER_OR_FOLLOWER;
        }
        if (change.partitionEpoch() < partition.partitionEpoch()) {
            return Errors.INVALID_UPDATE_VERSION;
        }
        Set<Integer> seen = new HashSet<>();
        for (IsrMember member : change.newIsr()) {
            if (member.brokerId() < 0 || !seen.add(member.brokerId())) {
                return Errors.INVALID_REQUEST;
            }
        }
        if (!seen.contains(partition.leader())) {
            return Errors.INVALID_REQUEST;
        }
        for (IsrMember member : change.newIsr()) {
            if (!eligible(partition, member)) {
                return Errors.INELIGIBLE_REPLICA;
            }
        }
        return Errors.NONE;
    }

    private boolean eligible(PartitionRegistration partition, IsrMember member) {
        BrokerRegistration broker = changes.image().brokers().get(member.brokerId());
        return partition.hasReplica(member.brokerId()) && broker != null && broker.isActive()
                && (member.brokerEpoch() == IsrMember.UNKNOWN_EPOCH || member.brokerEpoch() == broker.epoch());
    }

    private static IsrChangeResult failed(IsrChange change, Errors error) {
        return new IsrChangeResult(change.topicId(), change.partition(), error.code(), null);
    }
}
