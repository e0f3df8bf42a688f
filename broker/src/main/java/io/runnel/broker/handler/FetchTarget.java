package io.runnel.broker.handler;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;

/**
 * One partition a fetch asks for, with its topic resolved.
 *
 * @param topicName the topic's name, or null when its id is unknown
 * @param topicId the topic id the client sent (zero before v13)
 * @param partition what the client asked of the partition
 */
record FetchTarget(String topicName, Uuid topicId, FetchRequestData.FetchPartition partition) { }
