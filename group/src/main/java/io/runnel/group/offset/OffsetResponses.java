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
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
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

    /**
     * The request without the partitions of topics (or partition indexes) {@code topics} does not know,
     * which are answered UNKNOWN_TOPIC_OR_PARTITION in {@code response}, as Kafka's broker does before
     * it hands a TxnOffsetCommit to the coordinator.
     */
    static TxnOffsetCommitRequestData withoutUnknownPartitions(TxnOffsetCommitRequestData request, TopicCatalog topics,
                                                               TxnOffsetCommitResponseData response) {
        TxnOffsetCommitRequestData known = request.duplicate().setTopics(new ArrayList<>());
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TopicCatalog.TopicInfo info = topics.topic(topic.name());
            TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic knownTopic = new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                    .setName(topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                if (info != null && partition.partitionIndex() >= 0 && partition.partitionIndex() < info.partitions()) {
                    knownTopic.partitions().add(partition);
                } else {
                    txnTopic(response, topic.name()).partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                            .setPartitionIndex(partition.partitionIndex()).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                }
            }
            if (!knownTopic.partitions().isEmpty()) {
                known.topics().add(knownTopic);
            }
        }
        return known;
    }

    /** Every partition of {@code request} answered with {@code error} in {@code response}, replacing what it said of them. */
    static TxnOffsetCommitResponseData txnCommitFailed(TxnOffsetCommitRequestData request, Errors error, TxnOffsetCommitResponseData response) {
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse = txnTopic(response, topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                topicResponse.partitions().removeIf(answered -> answered.partitionIndex() == partition.partitionIndex());
                topicResponse.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
        }
        return response;
    }

    /** The response's entry for {@code topic}, added if it has none yet. */
    static TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic txnTopic(TxnOffsetCommitResponseData response, String topic) {
        for (TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic existing : response.topics()) {
            if (existing.name().equals(topic)) {
                return existing;
            }
        }
        TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic added = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic);
        response.topics().add(added);
        return added;
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
