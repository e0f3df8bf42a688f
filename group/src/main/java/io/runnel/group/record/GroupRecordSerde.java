package io.runnel.group.record;

import static io.runnel.group.record.GroupRecordSchemas.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.Struct;

/**
 * Turns {@link GroupRecord}s into the key and value bytes of {@code __consumer_offsets} records and
 * back, in Kafka's layouts ({@link GroupRecordSchemas}). Stateless and thread-safe.
 */
public final class GroupRecordSerde {

    private GroupRecordSerde() {
    }

    /** The record's key bytes. */
    public static byte[] serializeKey(GroupRecordKey key) {
        if (key instanceof GroupRecordKey.Offset k) {
            return write(OFFSET_COMMIT, new Struct(OFFSET_KEY).set("group", k.groupId()).set("topic", k.topic()).set("partition", k.partition()));
        } else if (key instanceof GroupRecordKey.ClassicGroup k) {
            return write(GROUP_METADATA, new Struct(GROUP_KEY).set("group", k.groupId()));
        } else if (key instanceof GroupRecordKey.ConsumerGroupMetadata k) {
            return write(CONSUMER_GROUP_METADATA, groupKey(k.groupId()));
        } else if (key instanceof GroupRecordKey.TargetAssignmentMetadata k) {
            return write(TARGET_ASSIGNMENT_METADATA, groupKey(k.groupId()));
        } else if (key instanceof GroupRecordKey.ConsumerGroupMember k) {
            return write(CONSUMER_GROUP_MEMBER, memberKey(k.groupId(), k.memberId()));
        } else if (key instanceof GroupRecordKey.TargetAssignmentMember k) {
            return write(TARGET_ASSIGNMENT_MEMBER, memberKey(k.groupId(), k.memberId()));
        } else if (key instanceof GroupRecordKey.CurrentAssignment k) {
            return write(CURRENT_ASSIGNMENT, memberKey(k.groupId(), k.memberId()));
        }
        throw new IllegalArgumentException("unknown key " + key);
    }

    /** The record's value bytes, or null for a tombstone. */
    public static byte[] serializeValue(GroupRecordValue value) {
        if (value == null) {
            return null;
        }
        if (value instanceof GroupRecordValue.Offset v) {
            return offsetValue(v);
        } else if (value instanceof GroupRecordValue.ClassicGroup v) {
            return write(GROUP_METADATA_VALUE, classicGroupValue(v));
        } else if (value instanceof GroupRecordValue.ConsumerGroupMetadata v) {
            return write(CONSUMER_VALUE, tagged(CONSUMER_GROUP_METADATA_VALUE).set("epoch", v.epoch()));
        } else if (value instanceof GroupRecordValue.ConsumerGroupMember v) {
            return write(CONSUMER_VALUE, memberValue(v));
        } else if (value instanceof GroupRecordValue.TargetAssignmentMetadata v) {
            return write(CONSUMER_VALUE, tagged(TARGET_METADATA_VALUE).set("assignment_epoch", v.assignmentEpoch()));
        } else if (value instanceof GroupRecordValue.TargetAssignmentMember v) {
            return write(CONSUMER_VALUE, tagged(TARGET_MEMBER_VALUE).set("topic_partitions", topicPartitions(v.partitions())));
        } else if (value instanceof GroupRecordValue.CurrentAssignment v) {
            return write(CONSUMER_VALUE, tagged(CURRENT_ASSIGNMENT_VALUE)
                    .set("member_epoch", v.memberEpoch()).set("previous_member_epoch", v.previousMemberEpoch()).set("state", v.state())
                    .set("assigned_partitions", topicPartitions(v.assignedPartitions()))
                    .set("partitions_pending_revocation", topicPartitions(v.partitionsPendingRevocation())));
        }
        throw new IllegalArgumentException("unknown value " + value);
    }

    /**
     * Reads a record from its key and value ({@code value} null for a tombstone).
     *
     * @return the record, or null for a record type this coordinator does not keep (share or streams
     *         groups written by a newer Kafka), which the caller skips
     * @throws IllegalArgumentException if the bytes are not a valid record of a known type
     */
    public static GroupRecord deserialize(ByteBuffer key, ByteBuffer value) {
        try {
            ByteBuffer keyBytes = key.duplicate();
            short type = keyBytes.getShort();
            GroupRecordKey recordKey = readKey(type, keyBytes);
            if (recordKey == null) {
                return null;
            }
            return new GroupRecord(recordKey, value == null ? null : readValue(type, value.duplicate()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable __consumer_offsets record: " + e.getMessage(), e);
        }
    }

    private static GroupRecordKey readKey(short type, ByteBuffer bytes) {
        return switch (type) {
            case 0, OFFSET_COMMIT -> {
                Struct s = OFFSET_KEY.read(bytes);
                yield new GroupRecordKey.Offset(s.getString("group"), s.getString("topic"), s.getInt("partition"));
            }
            case GROUP_METADATA -> new GroupRecordKey.ClassicGroup(GROUP_KEY.read(bytes).getString("group"));
            case CONSUMER_GROUP_METADATA -> new GroupRecordKey.ConsumerGroupMetadata(CONSUMER_GROUP_KEY.read(bytes).getString("group_id"));
            case TARGET_ASSIGNMENT_METADATA -> new GroupRecordKey.TargetAssignmentMetadata(CONSUMER_GROUP_KEY.read(bytes).getString("group_id"));
            case CONSUMER_GROUP_MEMBER -> {
                Struct s = CONSUMER_MEMBER_KEY.read(bytes);
                yield new GroupRecordKey.ConsumerGroupMember(s.getString("group_id"), s.getString("member_id"));
            }
            case TARGET_ASSIGNMENT_MEMBER -> {
                Struct s = CONSUMER_MEMBER_KEY.read(bytes);
                yield new GroupRecordKey.TargetAssignmentMember(s.getString("group_id"), s.getString("member_id"));
            }
            case CURRENT_ASSIGNMENT -> {
                Struct s = CONSUMER_MEMBER_KEY.read(bytes);
                yield new GroupRecordKey.CurrentAssignment(s.getString("group_id"), s.getString("member_id"));
            }
            default -> null;
        };
    }

    private static GroupRecordValue readValue(short type, ByteBuffer bytes) {
        short version = bytes.getShort();
        return switch (type) {
            case 0, OFFSET_COMMIT -> readOffsetValue(version, bytes);
            case GROUP_METADATA -> readClassicGroupValue(version, bytes);
            case CONSUMER_GROUP_METADATA -> new GroupRecordValue.ConsumerGroupMetadata(CONSUMER_GROUP_METADATA_VALUE.read(bytes).getInt("epoch"));
            case CONSUMER_GROUP_MEMBER -> readMemberValue(CONSUMER_MEMBER_VALUE.read(bytes));
            case TARGET_ASSIGNMENT_METADATA -> new GroupRecordValue.TargetAssignmentMetadata(
                    TARGET_METADATA_VALUE.read(bytes).getInt("assignment_epoch"));
            case TARGET_ASSIGNMENT_MEMBER -> new GroupRecordValue.TargetAssignmentMember(
                    readTopicPartitions(TARGET_MEMBER_VALUE.read(bytes).getArray("topic_partitions")));
            case CURRENT_ASSIGNMENT -> readCurrentAssignment(CURRENT_ASSIGNMENT_VALUE.read(bytes));
            default -> throw new IllegalStateException("no value layout for record type " + type);
        };
    }

    private static byte[] offsetValue(GroupRecordValue.Offset v) {
        if (v.expireTimestampMs() >= 0) {
            return write(OFFSET_VALUE_WITH_EXPIRY, new Struct(OFFSET_VALUE_V1).set("offset", v.offset()).set("metadata", v.metadata())
                    .set("commit_timestamp", v.commitTimestampMs()).set("expire_timestamp", v.expireTimestampMs()));
        }
        return write(OFFSET_VALUE_WITH_EPOCH, new Struct(OFFSET_VALUE_V3).set("offset", v.offset()).set("leader_epoch", v.leaderEpoch())
                .set("metadata", v.metadata()).set("commit_timestamp", v.commitTimestampMs()));
    }

    private static GroupRecordValue.Offset readOffsetValue(short version, ByteBuffer bytes) {
        if (version == OFFSET_VALUE_FLEXIBLE) {
            Struct s = OFFSET_VALUE_V4.read(bytes);
            return new GroupRecordValue.Offset(s.getLong("offset"), s.getInt("leader_epoch"), s.getString("metadata"),
                    s.getLong("commit_timestamp"), -1);
        }
        long offset = bytes.getLong();
        int leaderEpoch = version >= 3 ? bytes.getInt() : -1;
        if (version > OFFSET_VALUE_WITH_EPOCH) {
            throw new IllegalStateException("offset commit value version " + version + " is not supported");
        }
        short metadataLength = bytes.getShort();
        byte[] metadata = new byte[metadataLength];
        bytes.get(metadata);
        long commitTimestamp = bytes.getLong();
        long expireTimestamp = version == 1 ? bytes.getLong() : -1;
        return new GroupRecordValue.Offset(offset, leaderEpoch, new String(metadata, java.nio.charset.StandardCharsets.UTF_8),
                commitTimestamp, expireTimestamp);
    }

    private static Struct classicGroupValue(GroupRecordValue.ClassicGroup v) {
        Object[] members = v.members().stream().map(m -> new Struct(MEMBER_METADATA_V3)
                .set("member_id", m.memberId()).set("group_instance_id", m.groupInstanceId())
                .set("client_id", m.clientId()).set("client_host", m.clientHost())
                .set("rebalance_timeout", m.rebalanceTimeoutMs()).set("session_timeout", m.sessionTimeoutMs())
                .set("subscription", ByteBuffer.wrap(m.subscription())).set("assignment", ByteBuffer.wrap(m.assignment()))).toArray();
        return new Struct(GROUP_METADATA_VALUE_V3).set("protocol_type", v.protocolType()).set("generation", v.generationId())
                .set("protocol", v.protocolName()).set("leader", v.leaderId())
                .set("current_state_timestamp", v.currentStateTimestampMs()).set("members", members);
    }

    private static GroupRecordValue.ClassicGroup readClassicGroupValue(short version, ByteBuffer bytes) {
        if (version != GROUP_METADATA_VALUE) {
            throw new IllegalStateException("group metadata value version " + version + " is not supported");
        }
        Struct s = GROUP_METADATA_VALUE_V3.read(bytes);
        List<GroupRecordValue.ClassicMember> members = new ArrayList<>();
        for (Object element : s.getArray("members")) {
            Struct m = (Struct) element;
            members.add(new GroupRecordValue.ClassicMember(m.getString("member_id"), m.getString("group_instance_id"),
                    m.getString("client_id"), m.getString("client_host"), m.getInt("rebalance_timeout"), m.getInt("session_timeout"),
                    bytes(m.getBytes("subscription")), bytes(m.getBytes("assignment"))));
        }
        return new GroupRecordValue.ClassicGroup(s.getString("protocol_type"), s.getInt("generation"), s.getString("protocol"),
                s.getString("leader"), s.getLong("current_state_timestamp"), members);
    }

    private static Struct memberValue(GroupRecordValue.ConsumerGroupMember v) {
        // Kafka writes tagged field 0 (ClassicMemberMetadata) even when it is null, and reads a
        // missing one as an empty, non-null value, i.e. as a classic-protocol member.
        TreeMap<Integer, Object> classicMemberMetadata = new TreeMap<>();
        classicMemberMetadata.put(CLASSIC_MEMBER_METADATA_TAG,
                new RawTaggedField(CLASSIC_MEMBER_METADATA_TAG, classicMemberMetadata(v.classicMemberMetadata())));
        return new Struct(CONSUMER_MEMBER_VALUE).set("_tagged_fields", classicMemberMetadata).set("instance_id", v.instanceId()).set("rack_id", v.rackId())
                .set("client_id", v.clientId()).set("client_host", v.clientHost())
                .set("subscribed_topic_names", v.subscribedTopicNames().toArray())
                .set("subscribed_topic_regex", v.subscribedTopicRegex()).set("rebalance_timeout_ms", v.rebalanceTimeoutMs())
                .set("server_assignor", v.serverAssignor());
    }

    private static GroupRecordValue.ConsumerGroupMember readMemberValue(Struct s) {
        List<String> topics = Arrays.stream(s.getArray("subscribed_topic_names")).map(String.class::cast).toList();
        return new GroupRecordValue.ConsumerGroupMember(s.getString("instance_id"), s.getString("rack_id"), s.getString("client_id"),
                s.getString("client_host"), topics, s.getString("subscribed_topic_regex"), s.getInt("rebalance_timeout_ms"),
                s.getString("server_assignor"), readClassicMemberMetadata(s));
    }

    /** The bytes of tagged field 0: a null marker, or a presence marker and the struct. */
    private static byte[] classicMemberMetadata(GroupRecordValue.ClassicMemberMetadata metadata) {
        if (metadata == null) {
            return new byte[] {0};
        }
        Object[] protocols = metadata.supportedProtocols().stream().map(p -> tagged(CLASSIC_PROTOCOL)
                .set("name", p.name()).set("metadata", ByteBuffer.wrap(p.metadata()))).toArray();
        Struct struct = tagged(CLASSIC_MEMBER_METADATA).set("session_timeout_ms", metadata.sessionTimeoutMs())
                .set("supported_protocols", protocols);
        ByteBuffer buffer = ByteBuffer.allocate(1 + struct.sizeOf());
        buffer.put((byte) 1);
        struct.writeTo(buffer);
        return buffer.array();
    }

    /** Tagged field 0 of a member value; absent or null means a member of the consumer protocol. */
    private static GroupRecordValue.ClassicMemberMetadata readClassicMemberMetadata(Struct member) {
        Object raw = ((Map<?, ?>) member.get("_tagged_fields")).get(CLASSIC_MEMBER_METADATA_TAG);
        if (!(raw instanceof RawTaggedField field) || field.data().length == 0 || field.data()[0] == 0) {
            return null;
        }
        Struct s = CLASSIC_MEMBER_METADATA.read(ByteBuffer.wrap(field.data(), 1, field.data().length - 1));
        List<GroupRecordValue.ClassicProtocol> protocols = new ArrayList<>();
        for (Object element : s.getArray("supported_protocols")) {
            Struct protocol = (Struct) element;
            protocols.add(new GroupRecordValue.ClassicProtocol(protocol.getString("name"), bytes(protocol.getBytes("metadata"))));
        }
        return new GroupRecordValue.ClassicMemberMetadata(s.getInt("session_timeout_ms"), protocols);
    }

    private static GroupRecordValue.CurrentAssignment readCurrentAssignment(Struct s) {
        return new GroupRecordValue.CurrentAssignment(s.getInt("member_epoch"), s.getInt("previous_member_epoch"), (Byte) s.get("state"),
                readTopicPartitions(s.getArray("assigned_partitions")), readTopicPartitions(s.getArray("partitions_pending_revocation")));
    }

    private static Object[] topicPartitions(Map<Uuid, Set<Integer>> partitions) {
        return partitions.entrySet().stream().map(e -> tagged(TOPIC_PARTITIONS).set("topic_id", e.getKey())
                .set("partitions", e.getValue().stream().sorted().toArray())).toArray();
    }

    private static Map<Uuid, Set<Integer>> readTopicPartitions(Object[] topics) {
        Map<Uuid, Set<Integer>> partitions = new LinkedHashMap<>();
        for (Object element : topics) {
            Struct topic = (Struct) element;
            Set<Integer> numbers = new LinkedHashSet<>();
            for (Object partition : topic.getArray("partitions")) {
                numbers.add((Integer) partition);
            }
            partitions.put((Uuid) topic.get("topic_id"), numbers);
        }
        return partitions;
    }

    private static Struct groupKey(String groupId) {
        return new Struct(CONSUMER_GROUP_KEY).set("group_id", groupId);
    }

    private static Struct memberKey(String groupId, String memberId) {
        return new Struct(CONSUMER_MEMBER_KEY).set("group_id", groupId).set("member_id", memberId);
    }

    /** A struct of a flexible schema, with its (empty) tagged-field section set. */
    private static Struct tagged(Schema schema) {
        return new Struct(schema).set("_tagged_fields", new TreeMap<Integer, Object>());
    }

    private static byte[] write(short version, Struct struct) {
        ByteBuffer buffer = ByteBuffer.allocate(2 + struct.sizeOf());
        buffer.putShort(version);
        struct.writeTo(buffer);
        return buffer.array();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
