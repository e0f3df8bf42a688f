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
import java.util.Optional;
import java.util.function.IntPredicate;
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
        IntPredicate acceptable = replica -> replica != brokerId && isActive(replica);
        forEachPartition((topic, index, partition) -> {
            if (partition.leader() == brokerId || partition.isr().contains(brokerId)) {
                List<Integer> isr = new ArrayList<>(partition.isr());
                isr.remove(Integer.valueOf(brokerId));
                update(topic, index, partition, acceptable).isr(isr).build().ifPresent(batch::add);
            }
        });
        addAll(batch);
    }

    /** Elects leaders for the partitions that have none, now that a broker may have become active. */
    void electLeaderless() {
        List<MetadataRecord> batch = new ArrayList<>();
        forEachPartition((topic, index, partition) -> {
            if (!partition.hasLeader()) {
                update(topic, index, partition, this::isActive).build().ifPresent(batch::add);
            }
        });
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

    /**
     * Moves leadership to the preferred (first) replica if it is in sync and active, as Kafka's preferred
     * election does: ELECTION_NOT_NEEDED if it leads already, PREFERRED_LEADER_NOT_AVAILABLE if no
     * leader change results (a leaderless partition may get another in-sync leader instead).
     */
    Errors electPreferred(PartitionId id) {
        TopicMetadata topic = image.topic(id.topicId()).orElseThrow();
        PartitionRegistration partition = topic.partition(id.partition());
        if (partition.leader() == partition.replicas().get(0)) {
            return Errors.ELECTION_NOT_NEEDED;
        }
        Optional<PartitionChangeRecord> change = update(topic, id.partition(), partition, this::isActive)
                .election(PartitionUpdate.Election.PREFERRED).build();
        change.ifPresent(this::add);
        return change.isPresent() ? Errors.NONE : Errors.PREFERRED_LEADER_NOT_AVAILABLE;
    }

    /**
     * Gives a leaderless partition a leader: from the ISR if one may lead, else any active replica
     * (records may be lost): ELECTION_NOT_NEEDED if it has a leader, ELIGIBLE_LEADERS_NOT_AVAILABLE if
     * no replica is active.
     */
    Errors electUnclean(PartitionId id) {
        TopicMetadata topic = image.topic(id.topicId()).orElseThrow();
        PartitionRegistration partition = topic.partition(id.partition());
        if (partition.hasLeader()) {
            return Errors.ELECTION_NOT_NEEDED;
        }
        Optional<PartitionChangeRecord> change = update(topic, id.partition(), partition, this::isActive)
                .election(PartitionUpdate.Election.UNCLEAN).build();
        change.ifPresent(this::add);
        return change.isPresent() ? Errors.NONE : Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE;
    }

    /** An update of one partition of the working image whose leaders must pass {@code acceptable}. */
    PartitionUpdate update(TopicMetadata topic, int index, PartitionRegistration partition, IntPredicate acceptable) {
        return new PartitionUpdate(topic.id(), index, partition, acceptable);
    }

    /** True if {@code brokerId} is registered, unfenced and not shutting down in the working image. */
    boolean isActive(int brokerId) {
        BrokerRegistration broker = image.brokers().get(brokerId);
        return broker != null && broker.isActive();
    }

    /** Calls {@code action} for every partition of the working image, topics in id order (so results do not depend on hash order). */
    private void forEachPartition(PartitionAction action) {
        List<TopicMetadata> topics = image.topics().stream().sorted(java.util.Comparator.comparing(TopicMetadata::id)).toList();
        for (TopicMetadata topic : topics) {
            for (int i = 0; i < topic.partitionCount(); i++) {
                action.accept(topic, i, topic.partition(i));
            }
        }
    }

    @FunctionalInterface
    private interface PartitionAction {
        void accept(TopicMetadata topic, int index, PartitionRegistration partition);
    }
}
