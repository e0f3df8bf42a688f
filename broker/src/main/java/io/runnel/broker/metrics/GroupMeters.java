package io.runnel.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.group.GroupCoordinator;
import io.runnel.group.GroupRequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer group gauges: how many groups there are by type and state, and each group's lag per
 * partition it has committed an offset for (the high watermark, which on one node is the log end
 * offset, minus the committed offset; what {@code kafka-consumer-groups --describe} shows). Which
 * groups and offsets exist is read on the coordinator thread through the coordinator's own
 * ListGroups and OffsetFetch operations, at each {@link #refresh}; the lag itself reads the live
 * high watermark at each scrape. Refreshed by one thread at a time (the metrics thread).
 */
final class GroupMeters {

    static final String LAG = "runnel.consumer.group.lag";
    static final String GROUPS = "runnel.consumer.groups";

    private static final Logger log = LoggerFactory.getLogger(GroupMeters.class);
    private static final long SNAPSHOT_TIMEOUT_MS = 5_000;
    private static final GroupRequestContext CONTEXT = new GroupRequestContext("runnel-metrics", "", ApiKeys.OFFSET_FETCH.latestVersion());

    private final GroupCoordinatorRuntime groups;
    private final PartitionRegistry partitions;
    private final MultiGauge lag;
    private final MultiGauge groupCounts;

    /** A group's committed offset of a partition: what one lag row reports against. */
    private record Committed(TopicPartition partition, long offset) { }

    /*
     * The rows' values, replaced whole at each refresh. Rows read them rather than capture them, so a
     * refresh keeps the meters of rows that stay (no unregister and register again, during which a
     * concurrent scrape or JMX client would miss the series) and removes only rows that are gone.
     */
    private volatile Map<Tags, Committed> committedByRow = Map.of();
    private volatile Map<Tags, Integer> countByRow = Map.of();

    /** What the coordinator holds: each group's type and state, and its committed offsets. */
    private record GroupState(String groupId, String type, String state, Map<TopicPartition, Long> committed) { }

    GroupMeters(MeterRegistry registry, GroupCoordinatorRuntime groups, PartitionRegistry partitions) {
        this.groups = groups;
        this.partitions = partitions;
        this.lag = MultiGauge.builder(LAG).description("Messages between a group's committed offset and the partition's high watermark")
                .register(registry);
        this.groupCounts = MultiGauge.builder(GROUPS).description("Consumer groups, by protocol type and state").register(registry);
    }

    /** Re-reads the groups and their offsets; keeps the previous rows if the coordinator does not answer in time. */
    synchronized void refresh() {
        List<GroupState> snapshot;
        try {
            snapshot = groups.call(GroupMeters::snapshot).get(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            // The coordinator is loading, busy or stopping: the previous rows stay.
            log.debug("Consumer group metrics not refreshed: {}", e.toString());
            return;
        }
        Map<Tags, Committed> committed = new HashMap<>();
        Map<Tags, Integer> counts = new HashMap<>();
        for (GroupState group : snapshot) {
            counts.merge(Tags.of("type", group.type(), "state", group.state()), 1, Integer::sum);
            group.committed().forEach((partition, offset) -> committed.put(
                    Tags.of("group", group.groupId(), "topic", partition.topic(), "partition", Integer.toString(partition.partition())),
                    new Committed(partition, offset)));
        }
        committedByRow = committed;
        countByRow = counts;
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        committed.keySet().forEach(tags -> lagRows.add(MultiGauge.Row.of(tags, () -> lag(tags))));
        List<MultiGauge.Row<?>> countRows = new ArrayList<>();
        counts.keySet().forEach(tags -> countRows.add(MultiGauge.Row.of(tags, () -> countByRow.getOrDefault(tags, 0))));
        lag.register(lagRows, false);
        groupCounts.register(countRows, false);
    }

    /** Runs on the coordinator thread. */
    private static List<GroupState> snapshot(GroupCoordinator coordinator) {
        List<GroupState> states = new ArrayList<>();
        for (ListGroupsResponseData.ListedGroup listed : coordinator.listGroups(new ListGroupsRequestData()).groups()) {
            OffsetFetchResponseData.OffsetFetchResponseGroup offsets = coordinator.offsetFetch(CONTEXT,
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(listed.groupId()).setMemberId(null).setMemberEpoch(-1).setTopics(null), false);
            Map<TopicPartition, Long> committed = new HashMap<>();
            for (OffsetFetchResponseData.OffsetFetchResponseTopics topic : offsets.topics()) {
                for (OffsetFetchResponseData.OffsetFetchResponsePartitions partition : topic.partitions()) {
                    if (partition.committedOffset() >= 0) {
                        committed.put(new TopicPartition(topic.name(), partition.partitionIndex()), partition.committedOffset());
                    }
                }
            }
            states.add(new GroupState(listed.groupId(), listed.groupType(), listed.groupState(), committed));
        }
        return states;
    }

    /** NaN when the row or the partition is gone (the offset expired, the topic was deleted). */
    private double lag(Tags row) {
        Committed committed = committedByRow.get(row);
        if (committed == null) {
            return Double.NaN;
        }
        return partitions.partition(committed.partition())
                .map(p -> (double) Math.max(0, p.log().highWatermark() - committed.offset()))
                .orElse(Double.NaN);
    }
}
