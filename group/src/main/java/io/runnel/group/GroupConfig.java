package io.runnel.group;

import java.util.List;
import java.util.Objects;

/**
 * The coordinator's settings, under Kafka's names (in brackets, with Kafka's defaults).
 *
 * @param offsetsTopicNumPartitions          offsets.topic.num.partitions (50)
 * @param offsetsRetentionMs                 offsets.retention.minutes (7 days), in ms
 * @param offsetsRetentionCheckIntervalMs    offsets.retention.check.interval.ms (600000)
 * @param offsetMetadataMaxBytes             offset.metadata.max.bytes (4096)
 * @param classicMinSessionTimeoutMs         group.min.session.timeout.ms (6000)
 * @param classicMaxSessionTimeoutMs         group.max.session.timeout.ms (1800000)
 * @param classicInitialRebalanceDelayMs     group.initial.rebalance.delay.ms (3000)
 * @param classicMaxSize                     group.max.size (Integer.MAX_VALUE)
 * @param consumerSessionTimeoutMs           group.consumer.session.timeout.ms (45000)
 * @param consumerMinSessionTimeoutMs        group.consumer.min.session.timeout.ms (45000)
 * @param consumerMaxSessionTimeoutMs        group.consumer.max.session.timeout.ms (60000)
 * @param consumerHeartbeatIntervalMs        group.consumer.heartbeat.interval.ms (5000)
 * @param consumerMaxSize                    group.consumer.max.size (Integer.MAX_VALUE)
 * @param consumerAssignors                  group.consumer.assignors (uniform, range); the first is the default
 * @param consumerMigrationPolicy            group.consumer.migration.policy (bidirectional)
 */
public record GroupConfig(int offsetsTopicNumPartitions,
                          long offsetsRetentionMs,
                          long offsetsRetentionCheckIntervalMs,
                          int offsetMetadataMaxBytes,
                          int classicMinSessionTimeoutMs,
                          int classicMaxSessionTimeoutMs,
                          int classicInitialRebalanceDelayMs,
                          int classicMaxSize,
                          int consumerSessionTimeoutMs,
                          int consumerMinSessionTimeoutMs,
                          int consumerMaxSessionTimeoutMs,
                          int consumerHeartbeatIntervalMs,
                          int consumerMaxSize,
                          List<String> consumerAssignors,
                          ConsumerGroupMigrationPolicy consumerMigrationPolicy) {

    public GroupConfig {
        consumerAssignors = List.copyOf(consumerAssignors);
        Objects.requireNonNull(consumerMigrationPolicy, "consumerMigrationPolicy");
    }

    /** Settings with Kafka's default migration policy, bidirectional. */
    public GroupConfig(int offsetsTopicNumPartitions, long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs,
                       int offsetMetadataMaxBytes, int classicMinSessionTimeoutMs, int classicMaxSessionTimeoutMs,
                       int classicInitialRebalanceDelayMs, int classicMaxSize, int consumerSessionTimeoutMs,
                       int consumerMinSessionTimeoutMs, int consumerMaxSessionTimeoutMs, int consumerHeartbeatIntervalMs,
                       int consumerMaxSize, List<String> consumerAssignors) {
        this(offsetsTopicNumPartitions, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes,
                classicMinSessionTimeoutMs, classicMaxSessionTimeoutMs, classicInitialRebalanceDelayMs, classicMaxSize,
                consumerSessionTimeoutMs, consumerMinSessionTimeoutMs, consumerMaxSessionTimeoutMs, consumerHeartbeatIntervalMs,
                consumerMaxSize, consumerAssignors, ConsumerGroupMigrationPolicy.BIDIRECTIONAL);
    }

    /** These settings with another group.consumer.migration.policy. */
    public GroupConfig withConsumerMigrationPolicy(ConsumerGroupMigrationPolicy policy) {
        return new GroupConfig(offsetsTopicNumPartitions, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes,
                classicMinSessionTimeoutMs, classicMaxSessionTimeoutMs, classicInitialRebalanceDelayMs, classicMaxSize,
                consumerSessionTimeoutMs, consumerMinSessionTimeoutMs, consumerMaxSessionTimeoutMs, consumerHeartbeatIntervalMs,
                consumerMaxSize, consumerAssignors, policy);
    }

    /** Kafka's defaults. */
    public static GroupConfig defaults() {
        return new GroupConfig(50, 7L * 24 * 60 * 60 * 1000, 600_000, 4096,
                6000, 1_800_000, 3000, Integer.MAX_VALUE,
                45_000, 45_000, 60_000, 5000, Integer.MAX_VALUE, List.of("uniform", "range"));
    }
}
