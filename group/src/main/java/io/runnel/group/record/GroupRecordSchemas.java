package io.runnel.group.record;

import org.apache.kafka.common.protocol.types.ArrayOf;
import org.apache.kafka.common.protocol.types.CompactArrayOf;
import org.apache.kafka.common.protocol.types.Field;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.Type;

/**
 * The byte layouts of {@code __consumer_offsets} records, the same as Kafka 4's coordinator records so
 * that Kafka's tools read our topic and we read theirs. A key is {@code int16 record type} followed by
 * the key fields; a value is {@code int16 value version} followed by the value fields. Record types:
 * 1 offset commit, 2 group metadata, 3 consumer group metadata, 5 member metadata, 6 target
 * assignment metadata, 7 target assignment member, 8 current member assignment.
 */
final class GroupRecordSchemas {

    static final short OFFSET_COMMIT = 1;
    static final short GROUP_METADATA = 2;
    static final short CONSUMER_GROUP_METADATA = 3;
    static final short CONSUMER_GROUP_MEMBER = 5;
    static final short TARGET_ASSIGNMENT_METADATA = 6;
    static final short TARGET_ASSIGNMENT_MEMBER = 7;
    static final short CURRENT_ASSIGNMENT = 8;

    /** Offset values: v1 carries an explicit expiry (old clients), v3 a leader epoch. */
    static final short OFFSET_VALUE_WITH_EXPIRY = 1;
    static final short OFFSET_VALUE_WITH_EPOCH = 3;
    /** Offset value v4, flexible (Kafka 4 writes it, with the topic id as a tagged field): read only. */
    static final short OFFSET_VALUE_FLEXIBLE = 4;
    /** Group metadata v3: the last non-flexible version, with static member ids. */
    static final short GROUP_METADATA_VALUE = 3;
    /** The KIP-848 values exist in version 0 only, flexible. */
    static final short CONSUMER_VALUE = 0;

    static final Schema OFFSET_KEY = new Schema(
            new Field("group", Type.STRING), new Field("topic", Type.STRING), new Field("partition", Type.INT32));
    static final Schema GROUP_KEY = new Schema(new Field("group", Type.STRING));
    /** Keys are never flexible, even where their values are. */
    static final Schema CONSUMER_GROUP_KEY = new Schema(new Field("group_id", Type.STRING));
    static final Schema CONSUMER_MEMBER_KEY = new Schema(new Field("group_id", Type.STRING), new Field("member_id", Type.STRING));

    static final Schema OFFSET_VALUE_V1 = new Schema(
            new Field("offset", Type.INT64), new Field("metadata", Type.STRING),
            new Field("commit_timestamp", Type.INT64), new Field("expire_timestamp", Type.INT64));
    static final Schema OFFSET_VALUE_V3 = new Schema(
            new Field("offset", Type.INT64), new Field("leader_epoch", Type.INT32), new Field("metadata", Type.STRING),
            new Field("commit_timestamp", Type.INT64));

    static final Schema OFFSET_VALUE_V4 = new Schema(
            new Field("offset", Type.INT64), new Field("leader_epoch", Type.INT32), new Field("metadata", Type.COMPACT_STRING),
            new Field("commit_timestamp", Type.INT64), Field.TaggedFieldsSection.of());

    static final Schema MEMBER_METADATA_V3 = new Schema(
            new Field("member_id", Type.STRING), new Field("group_instance_id", Type.NULLABLE_STRING),
            new Field("client_id", Type.STRING), new Field("client_host", Type.STRING),
            new Field("rebalance_timeout", Type.INT32), new Field("session_timeout", Type.INT32),
            new Field("subscription", Type.BYTES), new Field("assignment", Type.BYTES));
    static final Schema GROUP_METADATA_VALUE_V3 = new Schema(
            new Field("protocol_type", Type.STRING), new Field("generation", Type.INT32),
            new Field("protocol", Type.NULLABLE_STRING), new Field("leader", Type.NULLABLE_STRING),
            new Field("current_state_timestamp", Type.INT64), new Field("members", new ArrayOf(MEMBER_METADATA_V3)));

    static final Schema CONSUMER_GROUP_METADATA_VALUE = new Schema(
            new Field("epoch", Type.INT32), Field.TaggedFieldsSection.of());
    static final Schema CONSUMER_MEMBER_VALUE = new Schema(
            new Field("instance_id", Type.COMPACT_NULLABLE_STRING), new Field("rack_id", Type.COMPACT_NULLABLE_STRING),
            new Field("client_id", Type.COMPACT_STRING), new Field("client_host", Type.COMPACT_STRING),
            new Field("subscribed_topic_names", new CompactArrayOf(Type.COMPACT_STRING)),
            new Field("subscribed_topic_regex", Type.COMPACT_NULLABLE_STRING),
            new Field("rebalance_timeout_ms", Type.INT32), new Field("server_assignor", Type.COMPACT_NULLABLE_STRING),
            Field.TaggedFieldsSection.of());
    /** Tagged field 0 of a member value: a nullable struct, prefixed 0 (null) or 1 (present). */
    static final int CLASSIC_MEMBER_METADATA_TAG = 0;
    static final Schema CLASSIC_PROTOCOL = new Schema(
            new Field("name", Type.COMPACT_STRING), new Field("metadata", Type.COMPACT_BYTES), Field.TaggedFieldsSection.of());
    static final Schema CLASSIC_MEMBER_METADATA = new Schema(
            new Field("session_timeout_ms", Type.INT32), new Field("supported_protocols", new CompactArrayOf(CLASSIC_PROTOCOL)),
            Field.TaggedFieldsSection.of());
    static final Schema TARGET_METADATA_VALUE = new Schema(
            new Field("assignment_epoch", Type.INT32), Field.TaggedFieldsSection.of());
    static final Schema TOPIC_PARTITIONS = new Schema(
            new Field("topic_id", Type.UUID), new Field("partitions", new CompactArrayOf(Type.INT32)), Field.TaggedFieldsSection.of());
    static final Schema TARGET_MEMBER_VALUE = new Schema(
            new Field("topic_partitions", new CompactArrayOf(TOPIC_PARTITIONS)), Field.TaggedFieldsSection.of());
    static final Schema CURRENT_ASSIGNMENT_VALUE = new Schema(
            new Field("member_epoch", Type.INT32), new Field("previous_member_epoch", Type.INT32), new Field("state", Type.INT8),
            new Field("assigned_partitions", new CompactArrayOf(TOPIC_PARTITIONS)),
            new Field("partitions_pending_revocation", new CompactArrayOf(TOPIC_PARTITIONS)),
            Field.TaggedFieldsSection.of());

    private GroupRecordSchemas() {
    }
}
