package io.runnel.broker.partition;

import org.apache.kafka.common.TopicPartition;

/**
 * Where the partitions this broker follows are fetched from: told, on the metadata thread, which
 * leader (and leader epoch) each follower partition has now, and when it stops following.
 */
public interface ReplicaFollowing {

    /** Fetch {@code partition} from broker {@code leaderId}, leader at {@code leaderEpoch}. */
    void follow(Partition partition, int leaderId, int leaderEpoch);

    /** Stop fetching {@code partition}: this broker leads it, it has no leader, or it is gone. */
    void unfollow(TopicPartition partition);
}
