package io.runnel.cli.group;

import io.runnel.cli.client.KafkaResults;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** The admin calls the group commands share: a group's description, its committed offsets, log offsets. Stateless. */
final class GroupLookup {

    private GroupLookup() {
    }

    /** The group's description, or empty when there is no such group. */
    static Optional<ConsumerGroupDescription> describe(Admin admin, String group) throws InterruptedException {
        try {
            ConsumerGroupDescription description = KafkaResults.get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
            return description.groupState() == GroupState.DEAD ? Optional.empty() : Optional.of(description);
        } catch (GroupIdNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The group's committed offsets, by partition (partitions without one are left out; none for no group). */
    static Map<TopicPartition, Long> committed(Admin admin, String group) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = KafkaResults.get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        } catch (GroupIdNotFoundException e) {
            return Map.of();
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
    }

    /** The partitions' offsets of one kind (earliest, latest, for a time; -1 where a time has no record). */
    static Map<TopicPartition, Long> logOffsets(Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        Map<TopicPartition, ListOffsetsResultInfo> result = KafkaResults.get(admin.listOffsets(request).all());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
