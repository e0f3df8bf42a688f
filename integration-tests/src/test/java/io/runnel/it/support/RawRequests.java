package io.runnel.it.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Single requests over a {@link RawKafkaConnection}, at fixed versions every Kafka 4 broker serves, built
 * with kafka-clients' generated message classes.
 */
public final class RawRequests {

    /** Produce v9: flexible, topics by name. */
    public static final short PRODUCE_VERSION = 9;
    /** Fetch v12: flexible, topics by name. */
    public static final short FETCH_VERSION = 12;
    /** InitProducerId v4. */
    public static final short INIT_PRODUCER_ID_VERSION = 4;

    private RawRequests() {
    }

    /** A producer id and epoch granted by InitProducerId. */
    public record ProducerIdAndEpoch(long producerId, short epoch) {
    }

    /** Asks for an idempotent (non-transactional) producer id. */
    public static ProducerIdAndEpoch initProducerId(RawKafkaConnection connection) {
        InitProducerIdResponseData response = connection.call(ApiKeys.INIT_PRODUCER_ID, INIT_PRODUCER_ID_VERSION,
                new InitProducerIdRequestData()
                        .setTransactionalId(null)
                        .setTransactionTimeoutMs(Integer.MAX_VALUE)
                        .setProducerId(-1L)
                        .setProducerEpoch((short) -1));
        if (response.errorCode() != 0) {
            throw new AssertionError("InitProducerId failed with error " + response.errorCode());
        }
        return new ProducerIdAndEpoch(response.producerId(), response.producerEpoch());
    }

    /** Records with the given values in one uncompressed batch without producer id. */
    public static MemoryRecords batchOf(String... values) {
        return MemoryRecords.withRecords(Compression.NONE, simpleRecords(values));
    }

    /** Records with the given values in one idempotent batch. */
    public static MemoryRecords idempotentBatchOf(ProducerIdAndEpoch producer, int baseSequence, String... values) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producer.producerId(), producer.epoch(), baseSequence,
                simpleRecords(values));
    }

    /** Records with the given values in one transactional batch. */
    public static MemoryRecords transactionalBatchOf(ProducerIdAndEpoch producer, int baseSequence, String... values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producer.producerId(), producer.epoch(), baseSequence,
                simpleRecords(values));
    }

    /** Produces one batch to one partition with acks=all and returns that partition's response. */
    public static ProduceResponseData.PartitionProduceResponse produce(RawKafkaConnection connection, String topic, int partition,
                                                                       MemoryRecords records) {
        return produce(connection, null, topic, partition, records);
    }

    /**
     * Produces one batch to one partition with acks=all in the name of {@code transactionalId} (null for
     * none) and returns that partition's response.
     */
    public static ProduceResponseData.PartitionProduceResponse produce(RawKafkaConnection connection, String transactionalId, String topic,
                                                                       int partition, MemoryRecords records) {
        return produce(connection, PRODUCE_VERSION, transactionalId, topic, partition, records);
    }

    /** Produce at {@code version} (by name: up to 12) of one batch to one partition with acks=all; that partition's response. */
    public static ProduceResponseData.PartitionProduceResponse produce(RawKafkaConnection connection, short version, String transactionalId,
                                                                       String topic, int partition, MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName(topic)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(records))));
        ProduceResponseData response = connection.call(ApiKeys.PRODUCE, version, new ProduceRequestData()
                .setAcks((short) -1)
                .setTimeoutMs(30_000)
                .setTransactionalId(transactionalId)
                .setTopicData(topics));
        return onlyPartition(response);
    }

    /** Fetches one partition from {@code offset} without waiting, and returns that partition's response. */
    public static FetchResponseData.PartitionData fetch(RawKafkaConnection connection, String topic, int partition, long offset) {
        return fetch(connection, topic, partition, offset, IsolationLevel.READ_UNCOMMITTED, 1 << 20);
    }

    /** As {@link #fetch(RawKafkaConnection, String, int, long)} at {@code isolation}, at most {@code maxBytes} of the partition. */
    public static FetchResponseData.PartitionData fetch(RawKafkaConnection connection, String topic, int partition, long offset,
                                                        IsolationLevel isolation, int maxBytes) {
        FetchResponseData response = connection.call(ApiKeys.FETCH, FETCH_VERSION, new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setIsolationLevel(isolation.id())
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequestData.FetchTopic()
                        .setTopic(topic)
                        .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(partition)
                                .setFetchOffset(offset)
                                .setLogStartOffset(-1)
                                .setPartitionMaxBytes(maxBytes))))));
        if (response.errorCode() != 0) {
            throw new AssertionError("Fetch failed as a whole with error " + response.errorCode());
        }
        return response.responses().get(0).partitions().get(0);
    }

    /**
     * Writes one transaction marker (WriteTxnMarkers v2, transaction version 0, as a coordinator without
     * {@code transaction.version} sends) to one partition and returns that partition's error.
     */
    public static Errors writeTxnMarker(RawKafkaConnection connection, ProducerIdAndEpoch producer, int coordinatorEpoch, boolean commit,
                                        String topic, int partition) {
        WriteTxnMarkersResponseData response = connection.call(ApiKeys.WRITE_TXN_MARKERS, (short) 2, new WriteTxnMarkersRequestData()
                .setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker()
                        .setProducerId(producer.producerId())
                        .setProducerEpoch(producer.epoch())
                        .setCoordinatorEpoch(coordinatorEpoch)
                        .setTransactionResult(commit)
                        .setTransactionVersion((byte) 0)
                        .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic()
                                .setName(topic)
                                .setPartitionIndexes(List.of(partition)))))));
        return Errors.forCode(response.markers().get(0).topics().get(0).partitions().get(0).errorCode());
    }

    private static ProduceResponseData.PartitionProduceResponse onlyPartition(ProduceResponseData response) {
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    private static SimpleRecord[] simpleRecords(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }
}
