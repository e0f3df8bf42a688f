package io.runnel.broker.partition;

import org.apache.kafka.common.TopicPartition;

/**
 * Told when this broker becomes or stops being a partition's leader, on the metadata replay thread, in
 * order; must not block for long (hand work to another thread).
 */
public interface LeadershipListener {

    /** This broker now leads {@code partition} (at its leader epoch). */
    void onLeader(Partition partition);

    /** This broker no longer leads {@code topicPartition}: another does, none does, or the partition is gone. */
    void onResigned(TopicPartition topicPartition);
}
