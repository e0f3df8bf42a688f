package io.runnel.group.record;

/** What a {@link GroupRecord} is about. Records with equal keys replace each other under compaction. */
public sealed interface GroupRecordKey {

    /** The group the record belongs to. */
    String groupId();

    /** A committed offset of {@code groupId} for one partition. */
    record Offset(String groupId, String topic, int partition) implements GroupRecordKey { }

    /** A classic group's metadata: generation, protocol, leader and members. */
    record ClassicGroup(String groupId) implements GroupRecordKey { }

    /** A consumer (KIP-848) group's epoch. */
    record ConsumerGroupMetadata(String groupId) implements GroupRecordKey { }

    /** A consumer group member's metadata: subscription and client details. */
    record ConsumerGroupMember(String groupId, String memberId) implements GroupRecordKey { }

    /** The epoch of a consumer group's target assignment. */
    record TargetAssignmentMetadata(String groupId) implements GroupRecordKey { }

    /** One member's partitions in a consumer group's target assignment. */
    record TargetAssignmentMember(String groupId, String memberId) implements GroupRecordKey { }

    /** One member's current assignment and epochs in a consumer group. */
    record CurrentAssignment(String groupId, String memberId) implements GroupRecordKey { }
}
