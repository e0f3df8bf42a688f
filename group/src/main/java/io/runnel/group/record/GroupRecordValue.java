package io.runnel.group.record;

import java.util.Arrays;
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
     * @param classicMemberMetadata for a member speaking the classic protocol inside a consumer group
     *                              (after an online upgrade), its session timeout and JoinGroup
     *                              protocols; null for a member of the consumer protocol
     */
    record ConsumerGroupMember(String instanceId, String rackId, String clientId, String clientHost,
                               List<String> subscribedTopicNames, String subscribedTopicRegex,
                               int rebalanceTimeoutMs, String serverAssignor,
                               ClassicMemberMetadata classicMemberMetadata) implements GroupRecordValue {

        /** A member of the consumer protocol. */
        public ConsumerGroupMember(String instanceId, String rackId, String clientId, String clientHost,
                                   List<String> subscribedTopicNames, String subscribedTopicRegex,
                                   int rebalanceTimeoutMs, String serverAssignor) {
            this(instanceId, rackId, clientId, clientHost, subscribedTopicNames, subscribedTopicRegex,
                    rebalanceTimeoutMs, serverAssignor, null);
        }
    }

    /**
     * What a classic-protocol member of a consumer group sent in its JoinGroup (Kafka's
     * {@code ClassicMemberMetadata}, tagged field 0 of the member record).
     *
     * @param supportedProtocols the member's protocols (assignors) in its order of preference
     */
    record ClassicMemberMetadata(int sessionTimeoutMs, List<ClassicProtocol> supportedProtocols) {
        public ClassicMemberMetadata {
            supportedProtocols = List.copyOf(supportedProtocols);
        }
    }

    /** One protocol of a classic member: its name and metadata (the serialized subscription). Equal by content. */
    record ClassicProtocol(String name, byte[] metadata) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ClassicProtocol that && name.equals(that.name) && Arrays.equals(metadata, that.metadata);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(metadata);
        }

        @Override
        public String toString() {
            return name;
        }
    }

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
