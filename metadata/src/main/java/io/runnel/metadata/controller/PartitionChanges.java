package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * The records of one controller decision, built step by step over a working image that already
 * reflects the steps before, so a later step sees an earlier one (a broker fenced first is not chosen
 * as a leader next). Each partition change goes through a {@link PartitionUpdate} that knows the
 * topic's effective min.insync.replicas and, for the elections the controller makes on its own (a
 * broker fenced, back or shut down), whether the topic allows unclean ones. Not thread-safe; one per
 * decision.
 */
final class PartitionChanges {

    private final List<MetadataRecord> records = new ArrayList<>();
    private final ControllerConfig config;
    private MetadataImage image;

    PartitionChanges(MetadataImage image, ControllerConfig config) {
        this.image = image;
        this.config = config;
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
     * Takes {@code brokerId} (fenced, shutting down, or a new process not yet caught up) out of the ISR of
     * its partitions and gives the partitions it leads another leader, or none; below min.insync.replicas
     * it stays eligible (ELR).
     */
    void removeBroker(int brokerId) {
        IntPredicate acceptable = replica -> replica != brokerId && isActive(replica);
        updateEach(partition -> partition.isr().contains(brokerId), (topic, index, partition) -> {
            List<Integer> isr = new ArrayList<>(partition.isr());
            isr.remove(Integer.valueOf(brokerId));
            return update(topic, index, partition, acceptable).isr(isr);
        });
    }

    /**
     * A broker came back after an unclean shutdown (KIP-966): it may have lost records it had
     * acknowledged, so it leaves the ISR and ELR of every partition and is not elected from them.
     */
    void forgetUncleanBroker(int brokerId) {
        updateEach(partition -> partition.isr().contains(brokerId) || partition.elr().contains(brokerId),
                (topic, index, partition) -> update(topic, index, partition, this::isActive).uncleanShutdown(brokerId));
    }

    /** Elects leaders for the partitions that have none, now that a broker may have become active. */
    void electLeaderless() {
        updateEach(partition -> !partition.hasLeader(), (topic, index, partition) -> update(topic, index, partition, this::isActive));
    }

    /** Empties the ELR and last known leader of the partitions of the topics that pass {@code affected}. */
    void clearEligibleLeaders(Predicate<TopicMetadata> affected) {
        for (TopicMetadata topic : sortedTopics()) {
            if (affected.test(topic)) {
                updateEach(topic, partition -> !partition.elr().isEmpty() || !partition.lastKnownElr().isEmpty(),
                        (t, index, partition) -> update(t, index, partition, this::isActive).clearEligibleLeaders());
            }
        }
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
     * Moves leadership to the preferred (first) replica if it may lead (in the ISR, or eligible with an
     * empty ISR, and active), as Kafka's preferred election does: ELECTION_NOT_NEEDED if it leads already,
     * PREFERRED_LEADER_NOT_AVAILABLE if no leader change results (a leaderless partition may get another
     * in-sync or eligible leader instead).
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
        return change.isPresent() && change.get().leader() != PartitionChangeRecord.NO_LEADER_CHANGE ? Errors.NONE : Errors.PREFERRED_LEADER_NOT_AVAILABLE;
    }

    /**
     * Gives a leaderless partition a leader, whatever its topic's unclean.leader.election.enable (as an
     * operator's unclean ElectLeaders does in Kafka): in-sync, eligible or last known if one may lead,
     * else any active replica (records may be lost). ELECTION_NOT_NEEDED if it has a leader,
     * ELIGIBLE_LEADERS_NOT_AVAILABLE if no replica is active.
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
        return change.isPresent() && change.get().leader() >= 0 ? Errors.NONE : Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE;
    }

    /**
     * An update of one partition of the working image whose leaders must pass {@code acceptable}, with
     * the topic's effective min.insync.replicas, electing uncleanly if the topic allows it.
     */
    PartitionUpdate update(TopicMetadata topic, int index, PartitionRegistration partition, IntPredicate acceptable) {
        ReplicationConfigs configs = configs();
        return new PartitionUpdate(topic.id(), index, partition, acceptable, configs.minInsyncReplicas(topic))
                .election(configs.uncleanLeaderElection(topic) ? PartitionUpdate.Election.UNCLEAN : PartitionUpdate.Election.ONLINE);
    }

    /** The effective replication configs of the working image. */
    ReplicationConfigs configs() {
        return new ReplicationConfigs(image, config);
    }

    /** True if {@code brokerId} is registered, unfenced and not shutting down in the working image. */
    boolean isActive(int brokerId) {
        BrokerRegistration broker = image.brokers().get(brokerId);
        return broker != null && broker.isActive();
    }

    /** Records, as one step, the update of every partition that passes {@code which}, topics in id order. */
    private void updateEach(Predicate<PartitionRegistration> which, PartitionStep step) {
        List<MetadataRecord> batch = new ArrayList<>();
        for (TopicMetadata topic : sortedTopics()) {
            collect(topic, which, step, batch);
        }
        addAll(batch);
    }

    private void updateEach(TopicMetadata topic, Predicate<PartitionRegistration> which, PartitionStep step) {
        List<MetadataRecord> batch = new ArrayList<>();
        collect(topic, which, step, batch);
        addAll(batch);
    }

    private static void collect(TopicMetadata topic, Predicate<PartitionRegistration> which, PartitionStep step, List<MetadataRecord> batch) {
        for (int i = 0; i < topic.partitionCount(); i++) {
            PartitionRegistration partition = topic.partition(i);
            if (which.test(partition)) {
                step.update(topic, i, partition).build().ifPresent(batch::add);
            }
        }
    }

    /** Topics in id order, so that which partition is changed first never depends on hash order. */
    private List<TopicMetadata> sortedTopics() {
        return image.topics().stream().sorted(Comparator.comparing(TopicMetadata::id)).toList();
    }

    /** The update of one partition, to be built. */
    @FunctionalInterface
    private interface PartitionStep {
        PartitionUpdate update(TopicMetadata topic, int index, PartitionRegistration partition);
    }
}
