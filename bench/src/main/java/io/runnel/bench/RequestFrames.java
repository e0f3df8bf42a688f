package io.runnel.bench;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;

/** Request frames as a Java client sends them (header and body, without the length prefix). */
final class RequestFrames {

    static final short PRODUCE_VERSION = 11;
    static final short FETCH_VERSION = 16;

    private RequestFrames() {
    }

    /** A Produce request for one partition with one batch of {@code records} × {@code valueBytes}. */
    static ByteBuffer produce(int records, int valueBytes) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName("bench").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(RecordBatches.batch(records, valueBytes))))));
        ProduceRequestData body = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000).setTopicData(topics);
        return frame(ApiKeys.PRODUCE, PRODUCE_VERSION, body);
    }

    /** A Fetch request (by topic id) for {@code partitions} partitions, as a consumer sends it. */
    static ByteBuffer fetch(Uuid topicId, int partitions) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopicId(topicId);
        for (int p = 0; p < partitions; p++) {
            topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(p).setFetchOffset(123_456L * p)
                    .setPartitionMaxBytes(1 << 20).setCurrentLeaderEpoch(0));
        }
        FetchRequestData body = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(500).setMinBytes(1)
                .setMaxBytes(50 << 20).setIsolationLevel((byte) 0).setTopics(List.of(topic));
        return frame(ApiKeys.FETCH, FETCH_VERSION, body);
    }

    private static ByteBuffer frame(ApiKeys apiKey, short version, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(apiKey.id).setRequestApiVersion(version)
                .setClientId("producer-1").setCorrelationId(42);
        short headerVersion = apiKey.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(header.size(cache, headerVersion) + body.size(cache, version));
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        buffer.flip();
        return buffer;
    }
}
