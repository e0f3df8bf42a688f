package io.runnel.group.offset;

import io.runnel.group.TopicCatalog;
import io.runnel.group.record.GroupRecordValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;

/** Builders for offset responses. Stateless; any thread. */
public final class OffsetResponses {

    private OffsetResponses() {
    }

    /** Every partition of the request answered with {@code error}. */
    public static OffsetCommitResponseData commitFailed(OffsetCommitRequestData request, Errors error) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                    .setName(topic.name()).setTopicId(topic.topicId());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    /** A partition's committed offset, or Kafka's "none" (-1, empty metadata). */
    static OffsetFetchResponseData.OffsetFetchResponsePartitions partition(int partition, GroupRecordValue.Offset offset) {
        if (offset == null) {
            return noOffset(partition);
        }
        return new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(partition)
                .setCommittedOffset(offset.offset()).setCommittedLeaderEpoch(offset.leaderEpoch()).setMetadata(offset.metadata());
    }

    static OffsetFetchResponseData.OffsetFetchResponsePartitions noOffset(int partition) {
        return new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(partition)
                .setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("");
    }

    /** Every committed offset, grouped by topic in name order, with topic ids where the topic still exists. */
    static List<OffsetFetchResponseData.OffsetFetchResponseTopics> allOffsets(Map<TopicPartition, GroupRecordValue.Offset> offsets,
                                                                            TopicCatalog topics) {
        Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> byTopic = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, GroupRecordValue.Offset> entry : offsetsByName(offsets).entrySet()) {
            String topic = entry.getKey().topic();
            OffsetFetchResponseData.OffsetFetchResponseTopics topicResponse = byTopic.computeIfAbsent(topic, name -> {
                TopicCatalog.TopicInfo info = topics.topic(name);
                return new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(name)
                        .setTopicId(info == null ? Uuid.ZERO_UUID : info.id());
            });
            topicResponse.partitions().add(partition(entry.getKey().partition(), entry.getValue()));
        }
        return new ArrayList<>(byTopic.values());
    }

    private static Map<TopicPartition, GroupRecordValue.Offset> offsetsByName(Map<TopicPartition, GroupRecordValue.Offset> offsets) {
        Map<TopicPartition, GroupRecordValue.Offset> sorted = new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
        sorted.putAll(offsets);
        return sorted;
    }
}
