package io.runnel.group.consumer.assignor;

import org.apache.kafka.common.Uuid;

/** A partition of a topic known by id, ordered by topic id then partition. */
record TopicPartitionRef(Uuid topicId, int partition) implements Comparable<TopicPartitionRef> {

    @Override
    public int compareTo(TopicPartitionRef other) {
        int byTopic = topicId.compareTo(other.topicId);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }
}
