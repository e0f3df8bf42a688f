package io.runnel.broker.partition;

import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * An ISR change a partition leader asks the controller for (Kafka's AlterPartition): valid only
 * against the leader and partition epochs it was made from.
 *
 * @param topicId the partition's topic
 * @param partition the partition index
 * @param leaderEpoch the leader epoch of the leader asking
 * @param partitionEpoch the partition epoch the change is made from
 * @param newIsr the proposed ISR, each member with the broker epoch it fetched with (-1 if unknown)
 */
public record IsrProposal(Uuid topicId, int partition, int leaderEpoch, int partitionEpoch, List<Member> newIsr) {

    /** An ISR member and its broker epoch. */
    public record Member(int brokerId, long brokerEpoch) { }

    /** The broker ids of the proposed ISR. */
    public List<Integer> brokerIds() {
        return newIsr.stream().map(Member::brokerId).toList();
    }
}
