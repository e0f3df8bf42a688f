package io.runnel.broker.partition;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.storage.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * A partition this broker holds a replica of, as of the last metadata image: its log, and the
 * leadership the controller decided. Replaced (never changed) when the image changes. The log is
 * thread-safe: it serializes appends and serves concurrent reads.
 *
 * @param topicPartition the partition
 * @param topicId its topic's id
 * @param log its log
 * @param registration its replicas, ISR, leader and epochs
 * @param minInsyncReplicas the topic's {@code min.insync.replicas}, checked for acks=all writes
 * @param leader true if this broker is the partition's leader
 */
public record Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, PartitionRegistration registration, int minInsyncReplicas,
                        boolean leader) {

    /** The current leader epoch. */
    public int leaderEpoch() {
        return registration.leaderEpoch();
    }

    /**
     * Kafka's answer to a client that names the leader epoch it believes current: none if it names
     * none (below 0) or this one; UNKNOWN_LEADER_EPOCH if it has heard of a newer leader than this
     * broker (it should retry); FENCED_LEADER_EPOCH if its epoch is stale (it should refresh metadata).
     */
    public Errors checkLeaderEpoch(int clientLeaderEpoch) {
        int leaderEpoch = leaderEpoch();
        if (clientLeaderEpoch < 0 || clientLeaderEpoch == leaderEpoch) {
            return Errors.NONE;
        }
        return clientLeaderEpoch > leaderEpoch ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH;
    }

    /** The in-sync replica count, as the controller last recorded it. */
    public int inSyncReplicaCount() {
        return registration.isr().size();
    }
}
