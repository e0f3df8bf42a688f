package io.runnel.broker.handler;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;

/**
 * One partition a fetch asks for, with its topic resolved.
 *
 * @param topicName the topic's name, or null when its id is unknown
 * @param topicId the topic id the client sent (zero before v13)
 * @param partition what the client asked of the partition
 * @param authorized whether the principal may read it (READ on the topic, or CLUSTER_ACTION for a follower);
 *     if not, the partition answers TOPIC_AUTHORIZATION_FAILED
 */
record FetchTarget(String topicName, Uuid topicId, FetchRequestData.FetchPartition partition, boolean authorized) {

    /** A target the principal may read. */
    FetchTarget(String topicName, Uuid topicId, FetchRequestData.FetchPartition partition) {
        this(topicName, topicId, partition, true);
    }
}
