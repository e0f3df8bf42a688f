package io.runnel.group.record;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * The value of a {@link GroupRecord}; each kind pairs with the key kind of the same name. Byte arrays
 * are owned by the record and never modified.
 */
public sealed interface GroupRecordValue {

    /**
     * A committed offset.
     *
     * @param leaderEpoch          the leader epoch of the committed record, or -1 when unknown
     * @param expireTimestampMs    an expiry set by an old client, or -1 to follow offsets.retention.minutes
     */
    record Offset(long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs)
            implements GroupRecordValue { }

    /**
     * A classic group after a rebalance completed (or the group emptied).
     *
     * @param protocolType  e.g. "consumer", or empty for a group only used for offsets
     * @param protocolName  the chosen assignor, or null when the group is empty
     * @param leaderId      the leader's member id, or null when the group is empty
     */
    record ClassicGroup(String protocolType, int generationId, String protocolName, String leaderId,
                        long currentStateTimestampMs, List<ClassicMember> members) implements GroupRecordValue { }

    /** A member of a classic group as persisted; {@code subscription} is the chosen protocol's metadata. */
    record ClassicMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                         int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) { }

    /** A consumer group's epoch, bumped whenever its target assignment must be recomputed. */
    record ConsumerGroupMetadata(int epoch) implements GroupRecordValue { }

    /**
     * A consumer group member's metadata.
     *
     * @param instanceId            the static member's {@code group.instance.id}, or null
     * @param rackId                the client rack, or null
     * @param subscribedTopicRegex  a regex subscription, or null
     * @param serverAssignor        the assignor the member asked for, or null for the default
     */
    record ConsumerGroupMember(String instanceId, String rackId, String clientId, String clientHost,
                               List<String> subscribedTopicNames, String subscribedTopicRegex,
                               int rebalanceTimeoutMs, String serverAssignor) implements GroupRecordValue { }

    /** The group epoch for which the target assignment was computed. */
    record TargetAssignmentMetadata(int assignmentEpoch) implements GroupRecordValue { }

    /** One member's target partitions: topic id to partition numbers. */
    record TargetAssignmentMember(Map<Uuid, Set<Integer>> partitions) implements GroupRecordValue { }

    /**
     * One member's current assignment.
     *
     * @param state                       the member's reconciliation state, as Kafka's
     *                                    {@code MemberState} values (0 stable, 1 unrevoked partitions,
     *                                    2 unreleased partitions, 3 unknown)
     * @param partitionsPendingRevocation partitions the member still has to give up
     */
    record CurrentAssignment(int memberEpoch, int previousMemberEpoch, byte state, Map<Uuid, Set<Integer>> assignedPartitions,
                             Map<Uuid, Set<Integer>> partitionsPendingRevocation) implements GroupRecordValue { }
}
