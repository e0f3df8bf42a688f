package io.runnel.protocol;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.ElectLeadersResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.ListPartitionReassignmentsResponse;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * The error codes a response carries, counted as Kafka counts them for its {@code ErrorsPerSec}
 * metric ({@code AbstractResponse.errorCounts()}), with {@code NONE} left out. Produce and Fetch,
 * the hot paths, are walked directly and allocate nothing when there is no error; the other APIs go
 * through kafka-clients' response classes. Stateless; any thread.
 */
public final class ResponseErrors {

    /** Receives each error code a response of {@code apiKey} carries and how many times it does. */
    @FunctionalInterface
    public interface Sink {
        void count(ApiKeys apiKey, Errors error, int times);
    }

    private static final Map<ApiKeys, BiFunction<ApiMessage, Short, AbstractResponse>> WRAPPERS = wrappers();

    private ResponseErrors() {
    }

    /** Reports every error code other than NONE in {@code response} (a response body of {@code apiKey} at {@code version}). */
    public static void count(ApiKeys apiKey, short version, ApiMessage response, Sink sink) {
        switch (apiKey) {
            case PRODUCE -> countProduce((ProduceResponseData) response, sink);
            case FETCH -> countFetch((FetchResponseData) response, sink);
            default -> wrap(apiKey, version, response).errorCounts().forEach((error, times) -> {
                if (error != Errors.NONE) {
                    sink.count(apiKey, error, times);
                }
            });
        }
    }

    private static void countProduce(ProduceResponseData response, Sink sink) {
        for (ProduceResponseData.TopicProduceResponse topic : response.responses()) {
            for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                countOne(ApiKeys.PRODUCE, partition.errorCode(), sink);
            }
        }
    }

    private static void countFetch(FetchResponseData response, Sink sink) {
        countOne(ApiKeys.FETCH, response.errorCode(), sink);
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                countOne(ApiKeys.FETCH, partition.errorCode(), sink);
            }
        }
    }

    private static void countOne(ApiKeys apiKey, short code, Sink sink) {
        if (code != Errors.NONE.code()) {
            sink.count(apiKey, Errors.forCode(code), 1);
        }
    }

    /**
     * Kafka's response object around {@code data}; for an API without a wrapper here (one served
     * later), the response is encoded and parsed back, which is slower but always right.
     */
    /** Whether {@code apiKey}'s responses are counted without being encoded and parsed back. */
    static boolean countedWithoutParsing(ApiKeys apiKey) {
        return apiKey == ApiKeys.PRODUCE || apiKey == ApiKeys.FETCH || WRAPPERS.containsKey(apiKey);
    }

    private static AbstractResponse wrap(ApiKeys apiKey, short version, ApiMessage data) {
        BiFunction<ApiMessage, Short, AbstractResponse> wrapper = WRAPPERS.get(apiKey);
        if (wrapper != null) {
            return wrapper.apply(data, version);
        }
        return AbstractResponse.parseResponse(apiKey, MessageUtil.toByteBufferAccessor(data, version), version);
    }

    private static Map<ApiKeys, BiFunction<ApiMessage, Short, AbstractResponse>> wrappers() {
        Map<ApiKeys, BiFunction<ApiMessage, Short, AbstractResponse>> map = new EnumMap<>(ApiKeys.class);
        map.put(ApiKeys.API_VERSIONS, (data, v) -> new ApiVersionsResponse((ApiVersionsResponseData) data));
        map.put(ApiKeys.METADATA, (data, v) -> new MetadataResponse((MetadataResponseData) data, v));
        map.put(ApiKeys.DESCRIBE_CLUSTER, (data, v) -> new DescribeClusterResponse((DescribeClusterResponseData) data));
        map.put(ApiKeys.CREATE_TOPICS, (data, v) -> new CreateTopicsResponse((CreateTopicsResponseData) data));
        map.put(ApiKeys.DELETE_TOPICS, (data, v) -> new DeleteTopicsResponse((DeleteTopicsResponseData) data));
        map.put(ApiKeys.LIST_OFFSETS, (data, v) -> new ListOffsetsResponse((ListOffsetsResponseData) data));
        map.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (data, v) -> new OffsetsForLeaderEpochResponse((OffsetForLeaderEpochResponseData) data));
        map.put(ApiKeys.INIT_PRODUCER_ID, (data, v) -> new InitProducerIdResponse((InitProducerIdResponseData) data));
        map.put(ApiKeys.FIND_COORDINATOR, (data, v) -> new FindCoordinatorResponse((FindCoordinatorResponseData) data));
        map.put(ApiKeys.JOIN_GROUP, (data, v) -> new JoinGroupResponse((JoinGroupResponseData) data, v));
        map.put(ApiKeys.SYNC_GROUP, (data, v) -> new SyncGroupResponse((SyncGroupResponseData) data));
        map.put(ApiKeys.HEARTBEAT, (data, v) -> new HeartbeatResponse((HeartbeatResponseData) data));
        map.put(ApiKeys.LEAVE_GROUP, (data, v) -> new LeaveGroupResponse((LeaveGroupResponseData) data, v));
        map.put(ApiKeys.OFFSET_COMMIT, (data, v) -> new OffsetCommitResponse((OffsetCommitResponseData) data));
        map.put(ApiKeys.OFFSET_FETCH, (data, v) -> new OffsetFetchResponse((OffsetFetchResponseData) data, v));
        map.put(ApiKeys.OFFSET_DELETE, (data, v) -> new OffsetDeleteResponse((OffsetDeleteResponseData) data));
        map.put(ApiKeys.LIST_GROUPS, (data, v) -> new ListGroupsResponse((ListGroupsResponseData) data));
        map.put(ApiKeys.DESCRIBE_GROUPS, (data, v) -> new DescribeGroupsResponse((DescribeGroupsResponseData) data));
        map.put(ApiKeys.DELETE_GROUPS, (data, v) -> new DeleteGroupsResponse((DeleteGroupsResponseData) data));
        map.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (data, v) -> new ConsumerGroupHeartbeatResponse((ConsumerGroupHeartbeatResponseData) data));
        map.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, (data, v) -> new ConsumerGroupDescribeResponse((ConsumerGroupDescribeResponseData) data));
        map.put(ApiKeys.DESCRIBE_CONFIGS, (data, v) -> new DescribeConfigsResponse((DescribeConfigsResponseData) data));
        map.put(ApiKeys.ALTER_CONFIGS, (data, v) -> new AlterConfigsResponse((AlterConfigsResponseData) data));
        map.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, (data, v) -> new IncrementalAlterConfigsResponse((IncrementalAlterConfigsResponseData) data));
        map.put(ApiKeys.CREATE_PARTITIONS, (data, v) -> new CreatePartitionsResponse((CreatePartitionsResponseData) data));
        map.put(ApiKeys.DELETE_RECORDS, (data, v) -> new DeleteRecordsResponse((DeleteRecordsResponseData) data));
        map.put(ApiKeys.DESCRIBE_LOG_DIRS, (data, v) -> new DescribeLogDirsResponse((DescribeLogDirsResponseData) data));
        map.put(ApiKeys.DESCRIBE_PRODUCERS, (data, v) -> new DescribeProducersResponse((DescribeProducersResponseData) data));
        map.put(ApiKeys.ELECT_LEADERS, (data, v) -> new ElectLeadersResponse((ElectLeadersResponseData) data));
        map.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, (data, v) -> new AlterPartitionReassignmentsResponse((AlterPartitionReassignmentsResponseData) data));
        map.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, (data, v) -> new ListPartitionReassignmentsResponse((ListPartitionReassignmentsResponseData) data));
        // Transactions: EndTxn once per transaction, AddPartitionsToTxn on every verification between
        // brokers; encoding and parsing each just to count its errors was most of their answer's cost.
        map.put(ApiKeys.ADD_PARTITIONS_TO_TXN, (data, v) -> new AddPartitionsToTxnResponse((AddPartitionsToTxnResponseData) data));
        map.put(ApiKeys.ADD_OFFSETS_TO_TXN, (data, v) -> new AddOffsetsToTxnResponse((AddOffsetsToTxnResponseData) data));
        map.put(ApiKeys.END_TXN, (data, v) -> new EndTxnResponse((EndTxnResponseData) data));
        map.put(ApiKeys.TXN_OFFSET_COMMIT, (data, v) -> new TxnOffsetCommitResponse((TxnOffsetCommitResponseData) data));
        map.put(ApiKeys.WRITE_TXN_MARKERS, (data, v) -> new WriteTxnMarkersResponse((WriteTxnMarkersResponseData) data));
        map.put(ApiKeys.DESCRIBE_TRANSACTIONS, (data, v) -> new DescribeTransactionsResponse((DescribeTransactionsResponseData) data));
        map.put(ApiKeys.LIST_TRANSACTIONS, (data, v) -> new ListTransactionsResponse((ListTransactionsResponseData) data));
        return map;
    }
}
