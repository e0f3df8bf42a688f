package io.runnel.broker;

import io.runnel.protocol.ApiVersionRange;
import io.runnel.protocol.SupportedApis;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs this broker serves and the versions of each: exactly those its handlers implement. The
 * README's compatibility table is this list.
 */
final class ServedApis {

    private ServedApis() {
    }

    /** The APIs served with transactions off ({@code runnel.transactions.enable} false, the default). */
    static SupportedApis table() {
        return table(false);
    }

    /** The APIs served; {@code transactions} adds the transaction APIs with Kafka 4.x's version ranges. */
    static SupportedApis table(boolean transactions) {
        Map<ApiKeys, ApiVersionRange> ranges = new EnumMap<>(ApiKeys.class);
        // Kafka advertises Produce from v0 (librdkafka reads features off the range, KAFKA-18659) but accepts v3+.
        ranges.put(ApiKeys.PRODUCE, new ApiVersionRange((short) 0, (short) 3, (short) 13));
        ranges.put(ApiKeys.FETCH, ApiVersionRange.of(4, 18));
        ranges.put(ApiKeys.LIST_OFFSETS, ApiVersionRange.of(1, 11));
        ranges.put(ApiKeys.METADATA, ApiVersionRange.of(0, 13));
        ranges.put(ApiKeys.API_VERSIONS, ApiVersionRange.of(0, 5));
        ranges.put(ApiKeys.CREATE_TOPICS, ApiVersionRange.of(2, 7));
        ranges.put(ApiKeys.DELETE_TOPICS, ApiVersionRange.of(1, 6));
        ranges.put(ApiKeys.INIT_PRODUCER_ID, ApiVersionRange.of(0, 5));
        ranges.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, ApiVersionRange.of(2, 4));
        ranges.put(ApiKeys.DESCRIBE_CLUSTER, ApiVersionRange.of(0, 2));
        ranges.put(ApiKeys.FIND_COORDINATOR, ApiVersionRange.of(0, 6));
        ranges.put(ApiKeys.JOIN_GROUP, ApiVersionRange.of(0, 9));
        ranges.put(ApiKeys.SYNC_GROUP, ApiVersionRange.of(0, 5));
        ranges.put(ApiKeys.HEARTBEAT, ApiVersionRange.of(0, 4));
        ranges.put(ApiKeys.LEAVE_GROUP, ApiVersionRange.of(0, 5));
        ranges.put(ApiKeys.OFFSET_COMMIT, ApiVersionRange.of(2, 10));
        ranges.put(ApiKeys.OFFSET_FETCH, ApiVersionRange.of(1, 10));
        ranges.put(ApiKeys.OFFSET_DELETE, ApiVersionRange.of(0, 0));
        ranges.put(ApiKeys.LIST_GROUPS, ApiVersionRange.of(0, 5));
        ranges.put(ApiKeys.DESCRIBE_GROUPS, ApiVersionRange.of(0, 6));
        ranges.put(ApiKeys.DELETE_GROUPS, ApiVersionRange.of(0, 3));
        ranges.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, ApiVersionRange.of(0, 1));
        ranges.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, ApiVersionRange.of(0, 1));
        ranges.put(ApiKeys.DESCRIBE_CONFIGS, ApiVersionRange.of(1, 4));
        ranges.put(ApiKeys.ALTER_CONFIGS, ApiVersionRange.of(0, 2));
        ranges.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, ApiVersionRange.of(0, 1));
        ranges.put(ApiKeys.CREATE_PARTITIONS, ApiVersionRange.of(0, 3));
        ranges.put(ApiKeys.DELETE_RECORDS, ApiVersionRange.of(0, 2));
        ranges.put(ApiKeys.DESCRIBE_LOG_DIRS, ApiVersionRange.of(1, 5));
        ranges.put(ApiKeys.DESCRIBE_PRODUCERS, ApiVersionRange.of(0, 0));
        ranges.put(ApiKeys.ELECT_LEADERS, ApiVersionRange.of(0, 2));
        ranges.put(ApiKeys.UPDATE_FEATURES, ApiVersionRange.of(0, 2));
        ranges.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ApiVersionRange.of(0, 1));
        ranges.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, ApiVersionRange.of(0, 0));
        ranges.put(ApiKeys.DESCRIBE_QUORUM, ApiVersionRange.of(0, 2));
        ranges.put(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, ApiVersionRange.of(0, 0));
        ranges.put(ApiKeys.DESCRIBE_ACLS, ApiVersionRange.of(1, 3));
        ranges.put(ApiKeys.CREATE_ACLS, ApiVersionRange.of(1, 3));
        ranges.put(ApiKeys.DELETE_ACLS, ApiVersionRange.of(1, 3));
        ranges.put(ApiKeys.SASL_HANDSHAKE, ApiVersionRange.of(0, 1));
        ranges.put(ApiKeys.SASL_AUTHENTICATE, ApiVersionRange.of(0, 2));
        ranges.put(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, ApiVersionRange.of(0, 0));
        ranges.put(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, ApiVersionRange.of(0, 0));
        ranges.put(ApiKeys.DESCRIBE_CLIENT_QUOTAS, ApiVersionRange.of(0, 1));
        ranges.put(ApiKeys.ALTER_CLIENT_QUOTAS, ApiVersionRange.of(0, 1));
        if (transactions) {
            ranges.put(ApiKeys.ADD_PARTITIONS_TO_TXN, ApiVersionRange.of(0, 5));
            ranges.put(ApiKeys.ADD_OFFSETS_TO_TXN, ApiVersionRange.of(0, 4));
            ranges.put(ApiKeys.END_TXN, ApiVersionRange.of(0, 5));
            ranges.put(ApiKeys.DESCRIBE_TRANSACTIONS, ApiVersionRange.of(0, 0));
            ranges.put(ApiKeys.LIST_TRANSACTIONS, ApiVersionRange.of(0, 2));
            ranges.put(ApiKeys.TXN_OFFSET_COMMIT, ApiVersionRange.of(0, 5));
            ranges.put(ApiKeys.WRITE_TXN_MARKERS, ApiVersionRange.of(1, 2));
        }
        return SupportedApis.of(ranges);
    }
}
