package io.runnel.group.consumer;

import io.runnel.group.Group;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordValue;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What online migration between the protocols needs from the classic side of the coordinator
 * (Kafka's {@code group.consumer.migration.policy}): reading a classic group to upgrade it, retiring
 * it once its consumer group is written, and building and installing the classic group a consumer
 * group downgrades to. Implemented by the classic group manager. Confined to the coordinator thread.
 */
public interface ClassicGroupBridge {

    /**
     * The classic group {@code group} as an upgrade reads it, or null if it cannot be upgraded: not a
     * classic group of protocol type "consumer" with a chosen protocol.
     */
    ClassicGroupSnapshot snapshot(Group group);

    /**
     * The classic group was replaced by a consumer group (its records are written): requests it has
     * parked are answered REBALANCE_IN_PROGRESS, so their members rejoin the consumer group, and its
     * timers stop.
     */
    void retire(Group classicGroup);

    /**
     * A classic group Stable at {@code generationId} with {@code members}, each assigned its
     * partitions in {@code assignments}, serialized in the version of the member's subscription: not
     * yet registered. Its record is written first, then it is {@linkplain PreparedClassicGroup#install installed}.
     */
    PreparedClassicGroup prepare(String groupId, int generationId, List<ClassicMemberSnapshot> members,
                                 Map<String, List<TopicPartition>> assignments);

    /** A classic group built for a downgrade. */
    interface PreparedClassicGroup {

        /** The GroupMetadata record that stores the group. */
        GroupRecord record();

        /** Registers the group, starts its members' session timeouts and a rebalance. */
        void install();
    }

    /** A classic group as an upgrade reads it; {@code assignments} holds the members' last SyncGroup bytes. */
    record ClassicGroupSnapshot(int generationId, String protocolName, List<ClassicMemberSnapshot> members,
                                Map<String, byte[]> assignments) { }

    /** A member speaking the classic protocol, as the migration carries it from one group type to the other. */
    record ClassicMemberSnapshot(String memberId, String instanceId, String clientId, String clientHost,
                                 int rebalanceTimeoutMs, int sessionTimeoutMs,
                                 List<GroupRecordValue.ClassicProtocol> protocols) { }
}
