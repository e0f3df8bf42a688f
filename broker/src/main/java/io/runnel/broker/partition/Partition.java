package io.runnel.broker.partition;

import io.runnel.storage.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * A partition this broker leads. On one node the broker is the only replica, so the in-sync replica
 * set is just this broker and the high watermark follows the log end offset; the leader epoch is kept
 * so clients can fence stale leaders exactly as they will in a cluster. Thread-safe: the log
 * serializes appends and serves concurrent reads.
 *
 * @param topicPartition the partition
 * @param topicId its topic's id
 * @param log its log
 * @param leaderEpoch the current leader epoch
 * @param minInsyncReplicas the topic's {@code min.insync.replicas}, checked for acks=all writes
 */
public record Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, int leaderEpoch, int minInsyncReplicas) {

    /** The single-node leader epoch: no leader change has happened. */
    public static final int INITIAL_LEADER_EPOCH = 0;

    /**
     * Kafka's answer to a client that names the leader epoch it believes current: none if it names
     * none (below 0) or this one; UNKNOWN_LEADER_EPOCH if it has heard of a newer leader than this
     * broker (it should retry); FENCED_LEADER_EPOCH if its epoch is stale (it should refresh metadata).
     */
    public Errors checkLeaderEpoch(int clientLeaderEpoch) {
        if (clientLeaderEpoch < 0 || clientLeaderEpoch == leaderEpoch) {
            return Errors.NONE;
        }
        return clientLeaderEpoch > leaderEpoch ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH;
    }

    /** The in-sync replica count: one node, one replica. */
    public int inSyncReplicaCount() {
        return 1;
    }
}
