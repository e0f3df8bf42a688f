package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * The records of one controller decision, built step by step over a working image that already
 * reflects the steps before, so a later step sees an earlier one (a broker fenced first is not chosen
 * as a leader next). Not thread-safe; one per decision.
 */
final class PartitionChanges {

    private final List<MetadataRecord> records = new ArrayList<>();
    private MetadataImage image;

    PartitionChanges(MetadataImage image) {
        this.image = image;
    }

    /** The working image: the committed one with every record so far applied. */
    MetadataImage image() {
        return image;
    }

    /** The records so far, in order. */
    List<MetadataRecord> records() {
        return List.copyOf(records);
    }

    void add(MetadataRecord record) {
        addAll(List.of(record));
    }

    private void addAll(List<MetadataRecord> batch) {
        if (!batch.isEmpty()) {
            records.addAll(batch);
            image = image.apply(batch, image.offset());
        }
    }

    /**
     * Takes {@code brokerId} out of the ISR of its partitions (unless it is the last member) and gives
     * the partitions it leads another leader from the ISR, or none.
     */
    void removeBroker(int brokerId) {
        List<MetadataRecord> batch = new ArrayList<>();
        for (TopicMetadata topic : image.topics()) {
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionRegistration partition = topic.partition(i);
                if (partition.leader() != brokerId && !partition.isr().contains(brokerId)) {
                    continue;
                }
                List<Integer> isr = new ArrayList<>(partition.isr());
                if (isr.size() > 1) {
                    isr.remove(Integer.valueOf(brokerId));
                }
                int leader = partition.leader() == brokerId ? firstActive(partition.replicas(), isr, brokerId) : PartitionChangeRecord.NO_LEADER_CHANGE;
                boolean isrChanged = !isr.equals(partition.isr());
                if (isrChanged || leader != PartitionChangeRecord.NO_LEADER_CHANGE) {
                    batch.add(new PartitionChangeRecord(topic.id(), i, leader, isrChanged ? isr : null, null, null));
                }
            }
        }
        addAll(batch);
    }

    /** Makes {@code brokerId}, now active, the leader of the offline partitions whose ISR it is in. */
    void electLeaderless(int brokerId) {
        List<MetadataRecord> batch = new ArrayList<>();
        for (TopicMetadata topic : image.topics()) {
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionRegistration partition = topic.partition(i);
                if (!partition.hasLeader() && partition.isr().contains(brokerId)) {
                    batch.add(new PartitionChangeRecord(topic.id(), i, brokerId, null, null, null));
                }
            }
        }
        addAll(batch);
    }

    /** How many partitions {@code brokerId} leads in the working image. */
    int leaderships(int brokerId) {
        int count = 0;
        for (TopicMetadata topic : image.topics()) {
            for (PartitionRegistration partition : topic.partitions()) {
                count += partition.leader() == brokerId ? 1 : 0;
            }
        }
        return count;
    }

    /** Moves leadership to the preferred (first) replica if it is in sync and active. */
    Errors electPreferred(PartitionId id) {
        PartitionRegistration partition = image.topic(id.topicId()).orElseThrow().partition(id.partition());
        int preferred = partition.replicas().get(0);
        if (partition.leader() == preferred) {
            return Errors.ELECTION_NOT_NEEDED;
        }
        if (!partition.isr().contains(preferred) || !isActive(preferred)) {
            return Errors.PREFERRED_LEADER_NOT_AVAILABLE;
        }
        add(new PartitionChangeRecord(id.topicId(), id.partition(), preferred, null, null, null));
        return Errors.NONE;
    }

    /** Gives a leaderless partition any active replica as leader, in sync or not (records may be lost). */
    Errors electUnclean(PartitionId id) {
        PartitionRegistration partition = image.topic(id.topicId()).orElseThrow().partition(id.partition());
        if (partition.hasLeader()) {
            return Errors.ELECTION_NOT_NEEDED;
        }
        int leader = firstActive(partition.replicas(), partition.replicas(), PartitionRegistration.NO_LEADER);
        if (leader == PartitionRegistration.NO_LEADER) {
            return Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE;
        }
        add(new PartitionChangeRecord(id.topicId(), id.partition(), leader, List.of(leader), null, null));
        return Errors.NONE;
    }

    /** The first replica, in replica order, that is in {@code candidates}, active and not {@code excluded}; else no leader. */
    private int firstActive(List<Integer> replicas, List<Integer> candidates, int excluded) {
        for (int replica : replicas) {
            if (replica != excluded && candidates.contains(replica) && isActive(replica)) {
                return replica;
            }
        }
        return PartitionRegistration.NO_LEADER;
    }

    private boolean isActive(int brokerId) {
        BrokerRegistration broker = image.brokers().get(brokerId);
        return broker != null && broker.isActive();
    }
}
