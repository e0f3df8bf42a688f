package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Moves leadership back to preferred replicas ({@code auto.leader.rebalance.enable}), as Kafka's
 * controller does: for each broker, the partitions whose first replica it is but that another broker
 * leads (or none does); when their share of its preferred partitions exceeds
 * {@code leader.imbalance.per.broker.percentage}, each of them whose preferred replica may lead (in the
 * ISR, or eligible with an empty ISR, and active) is handed back to it. Partitions being reassigned are
 * left alone. At most {@value #MAX_ELECTIONS} leaders move in one pass, so one pass is one bounded
 * batch. Not thread-safe; one per pass.
 */
final class LeaderBalancer {

    /** Leader changes in one pass at most (Kafka's controller caps a pass the same way). */
    static final int MAX_ELECTIONS = 1000;

    private record Candidate(TopicMetadata topic, int index) { }

    private final PartitionChanges changes;
    private final int imbalancePercentage;
    private int elections;

    LeaderBalancer(PartitionChanges changes, int imbalancePercentage) {
        this.changes = changes;
        this.imbalancePercentage = imbalancePercentage;
    }

    /** Records the leader moves of one pass; true if it stopped at {@value #MAX_ELECTIONS} with more to do. */
    boolean balance() {
        Map<Integer, Integer> preferredCounts = new TreeMap<>();
        Map<Integer, List<Candidate>> imbalanced = new TreeMap<>();
        List<TopicMetadata> topics = changes.image().topics().stream().sorted(Comparator.comparing(TopicMetadata::id)).toList();
        for (TopicMetadata topic : topics) {
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionRegistration partition = topic.partition(i);
                int preferred = partition.replicas().get(0);
                preferredCounts.merge(preferred, 1, Integer::sum);
                if (partition.leader() != preferred) {
                    imbalanced.computeIfAbsent(preferred, b -> new ArrayList<>()).add(new Candidate(topic, i));
                }
            }
        }
        for (Map.Entry<Integer, List<Candidate>> broker : imbalanced.entrySet()) {
            // imbalanced / preferred > percentage / 100, in integers
            if (broker.getValue().size() * 100L > (long) imbalancePercentage * preferredCounts.get(broker.getKey()) && !moveBack(broker.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** Hands each partition back to its preferred replica where it may lead; false once the pass is full. */
    private boolean moveBack(List<Candidate> candidates) {
        for (Candidate candidate : candidates) {
            if (elections >= MAX_ELECTIONS) {
                return false;
            }
            TopicMetadata topic = changes.image().topic(candidate.topic().id()).orElseThrow();
            PartitionRegistration partition = topic.partition(candidate.index());
            if (partition.isReassigning() || !changes.isActive(partition.replicas().get(0))) {
                continue;
            }
            Optional<PartitionChangeRecord> record = changes.update(topic, candidate.index(), partition, changes::isActive)
                    .election(PartitionUpdate.Election.PREFERRED).build();
            if (record.isPresent() && record.get().leader() == partition.replicas().get(0)) {
                changes.add(record.get());
                elections++;
            }
        }
        return true;
    }
}
