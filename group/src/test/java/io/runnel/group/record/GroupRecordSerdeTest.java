package io.runnel.group.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberValue;
import org.apache.kafka.coordinator.group.generated.GroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.GroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;
import org.junit.jupiter.api.Test;

/** Our record bytes against Kafka 4.3.1's own generated record classes, both directions. */
class GroupRecordSerdeTest {

    private static final Uuid TOPIC = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");

    @Test
    void shouldWriteOffsetCommitsKafkaReads() {
        GroupRecord record = GroupRecord.of(new GroupRecordKey.Offset("g", "orders", 3),
                new GroupRecordValue.Offset(42, 7, "meta", 1000, -1));

        ByteBuffer key = ByteBuffer.wrap(GroupRecordSerde.serializeKey(record.key()));
        assertThat(key.getShort()).isEqualTo((short) 1);
        OffsetCommitKey kafkaKey = new OffsetCommitKey(new ByteBufferAccessor(key), (short) 0);
        assertThat(kafkaKey.group()).isEqualTo("g");
        assertThat(kafkaKey.topic()).isEqualTo("orders");
        assertThat(kafkaKey.partition()).isEqualTo(3);

        ByteBuffer value = ByteBuffer.wrap(GroupRecordSerde.serializeValue(record.value()));
        OffsetCommitValue kafkaValue = new OffsetCommitValue(new ByteBufferAccessor(value), value.getShort());
        assertThat(kafkaValue.offset()).isEqualTo(42);
        assertThat(kafkaValue.leaderEpoch()).isEqualTo(7);
        assertThat(kafkaValue.metadata()).isEqualTo("meta");
        assertThat(kafkaValue.commitTimestamp()).isEqualTo(1000);
    }

    @Test
    void shouldReadOffsetCommitsOfEveryNonFlexibleVersionKafkaWrites() {
        for (short version = 0; version <= 3; version++) {
            OffsetCommitValue kafka = new OffsetCommitValue().setOffset(5).setMetadata("m").setCommitTimestamp(9)
                    .setLeaderEpoch(version >= 3 ? 2 : -1).setExpireTimestamp(version == 1 ? 99 : -1);
            GroupRecord read = GroupRecordSerde.deserialize(kafkaKey(new OffsetCommitKey().setGroup("g").setTopic("t").setPartition(0)),
                    ByteBuffer.wrap(MessageUtil.toVersionPrefixedBytes(version, kafka)));

            assertThat(read.value()).isEqualTo(new GroupRecordValue.Offset(5, version >= 3 ? 2 : -1, "m", 9, version == 1 ? 99 : -1));
        }
    }

    @Test
    void shouldReadTheFlexibleOffsetCommitsKafkaFourWrites() {
        // Kafka 4.3's generated writer needs a kafka-clients class that 4.4 moved, so the bytes are laid
        // out here: version 4, offset, leader epoch, compact metadata, commit time, and one tagged
        // field (the topic id) this reader does not need.
        ByteBuffer v4 = ByteBuffer.allocate(2 + 8 + 4 + 2 + 8 + 1 + 1 + 1 + 16)
                .putShort((short) 4).putLong(5).putInt(2).put((byte) 2).put((byte) 'm').putLong(9)
                .put((byte) 1).put((byte) 0).put((byte) 16).putLong(TOPIC.getMostSignificantBits()).putLong(TOPIC.getLeastSignificantBits())
                .flip();
        GroupRecord read = GroupRecordSerde.deserialize(kafkaKey(new OffsetCommitKey().setGroup("g").setTopic("t").setPartition(0)), v4);

        assertThat(read.value()).isEqualTo(new GroupRecordValue.Offset(5, 2, "m", 9, -1));
    }

    @Test
    void shouldWriteAnExpiryAsVersionOne() {
        ByteBuffer value = ByteBuffer.wrap(GroupRecordSerde.serializeValue(new GroupRecordValue.Offset(1, -1, "", 10, 20)));
        short version = value.getShort();
        assertThat(version).isEqualTo((short) 1);
        assertThat(new OffsetCommitValue(new ByteBufferAccessor(value), version).expireTimestamp()).isEqualTo(20);
    }

    @Test
    void shouldWriteClassicGroupMetadataKafkaReads() {
        GroupRecordValue.ClassicGroup group = new GroupRecordValue.ClassicGroup("consumer", 4, "range", "m1", 1234,
                List.of(new GroupRecordValue.ClassicMember("m1", "instance-1", "client", "/127.0.0.1", 300000, 45000,
                        new byte[] {1, 2}, new byte[] {3})));

        ByteBuffer key = ByteBuffer.wrap(GroupRecordSerde.serializeKey(new GroupRecordKey.ClassicGroup("g")));
        assertThat(key.getShort()).isEqualTo((short) 2);
        assertThat(new GroupMetadataKey(new ByteBufferAccessor(key), (short) 0).group()).isEqualTo("g");
        ByteBuffer value = ByteBuffer.wrap(GroupRecordSerde.serializeValue(group));
        GroupMetadataValue kafka = new GroupMetadataValue(new ByteBufferAccessor(value), value.getShort());

        assertThat(kafka.protocolType()).isEqualTo("consumer");
        assertThat(kafka.generation()).isEqualTo(4);
        assertThat(kafka.protocol()).isEqualTo("range");
        assertThat(kafka.leader()).isEqualTo("m1");
        assertThat(kafka.currentStateTimestamp()).isEqualTo(1234);
        GroupMetadataValue.MemberMetadata member = kafka.members().get(0);
        assertThat(member.groupInstanceId()).isEqualTo("instance-1");
        assertThat(member.rebalanceTimeout()).isEqualTo(300000);
        assertThat(member.subscription()).containsExactly(1, 2);
        assertThat(member.assignment()).containsExactly(3);
    }

    @Test
    void shouldRoundTripClassicGroupWithNullLeaderAndProtocol() {
        GroupRecord empty = GroupRecord.of(new GroupRecordKey.ClassicGroup("g"),
                new GroupRecordValue.ClassicGroup("", 0, null, null, 5, List.of()));

        GroupRecord read = roundTrip(empty);

        assertThat(read.key()).isEqualTo(empty.key());
        GroupRecordValue.ClassicGroup value = (GroupRecordValue.ClassicGroup) read.value();
        assertThat(value.protocolName()).isNull();
        assertThat(value.leaderId()).isNull();
        assertThat(value.members()).isEmpty();
    }

    @Test
    void shouldWriteConsumerGroupRecordsKafkaReads() {
        ByteBuffer key = ByteBuffer.wrap(GroupRecordSerde.serializeKey(new GroupRecordKey.ConsumerGroupMember("g", "m")));
        assertThat(key.getShort()).isEqualTo((short) 5);
        ConsumerGroupMemberMetadataKey kafkaKey = new ConsumerGroupMemberMetadataKey(new ByteBufferAccessor(key), (short) 0);
        assertThat(kafkaKey.memberId()).isEqualTo("m");

        ConsumerGroupMemberMetadataValue member = readValue(new GroupRecordValue.ConsumerGroupMember(null, "rack", "c", "/h",
                List.of("a", "b"), null, 1000, "uniform"), ConsumerGroupMemberMetadataValue::new);
        assertThat(member.subscribedTopicNames()).containsExactly("a", "b");
        assertThat(member.serverAssignor()).isEqualTo("uniform");
        assertThat(member.instanceId()).isNull();
        assertThat(member.classicMemberMetadata()).as("a consumer-protocol member, not an upgraded classic one").isNull();

        assertThat(readValue(new GroupRecordValue.ConsumerGroupMetadata(9), ConsumerGroupMetadataValue::new).epoch()).isEqualTo(9);
        ConsumerGroupTargetAssignmentMemberValue target = readValue(
                new GroupRecordValue.TargetAssignmentMember(Map.of(TOPIC, Set.of(2, 0))), ConsumerGroupTargetAssignmentMemberValue::new);
        assertThat(target.topicPartitions().get(0).partitions()).containsExactly(0, 2);
        ConsumerGroupCurrentMemberAssignmentValue current = readValue(new GroupRecordValue.CurrentAssignment(3, 2, (byte) 1,
                Map.of(TOPIC, Set.of(1)), Map.of()), ConsumerGroupCurrentMemberAssignmentValue::new);
        assertThat(current.memberEpoch()).isEqualTo(3);
        assertThat(current.state()).isEqualTo((byte) 1);
        assertThat(current.assignedPartitions().get(0).topicId()).isEqualTo(TOPIC);
    }

    @Test
    void shouldWriteAClassicMemberOfAConsumerGroupAsKafkaReadsIt() {
        GroupRecordValue.ConsumerGroupMember classic = new GroupRecordValue.ConsumerGroupMember("i", null, "c", "/h",
                List.of("t"), null, 60_000, null, new GroupRecordValue.ClassicMemberMetadata(10_000, List.of(
                        new GroupRecordValue.ClassicProtocol("cooperative-sticky", new byte[] {0, 3, 1}),
                        new GroupRecordValue.ClassicProtocol("range", new byte[] {0, 3, 2}))));

        ConsumerGroupMemberMetadataValue kafka = readValue(classic, ConsumerGroupMemberMetadataValue::new);

        assertThat(kafka.classicMemberMetadata()).as("an upgraded classic member").isNotNull();
        assertThat(kafka.classicMemberMetadata().sessionTimeoutMs()).isEqualTo(10_000);
        assertThat(kafka.classicMemberMetadata().supportedProtocols()).extracting(p -> p.name())
                .containsExactly("cooperative-sticky", "range");
        assertThat(kafka.classicMemberMetadata().supportedProtocols().get(1).metadata()).containsExactly(0, 3, 2);
        assertThat(kafka.instanceId()).isEqualTo("i");
        assertThat(roundTrip(GroupRecord.of(new GroupRecordKey.ConsumerGroupMember("g", "m"), classic)).value()).isEqualTo(classic);
    }

    @Test
    void shouldRoundTripEveryConsumerGroupRecord() {
        List<GroupRecord> records = List.of(
                GroupRecord.of(new GroupRecordKey.ConsumerGroupMetadata("g"), new GroupRecordValue.ConsumerGroupMetadata(4)),
                GroupRecord.of(new GroupRecordKey.ConsumerGroupMember("g", "m"), new GroupRecordValue.ConsumerGroupMember(
                        "i", null, "c", "/h", List.of("t"), "t.*", 500, null)),
                GroupRecord.of(new GroupRecordKey.TargetAssignmentMetadata("g"), new GroupRecordValue.TargetAssignmentMetadata(4)),
                GroupRecord.of(new GroupRecordKey.TargetAssignmentMember("g", "m"), new GroupRecordValue.TargetAssignmentMember(
                        Map.of(TOPIC, Set.of(0, 1)))),
                GroupRecord.of(new GroupRecordKey.CurrentAssignment("g", "m"), new GroupRecordValue.CurrentAssignment(
                        4, 3, (byte) 0, Map.of(TOPIC, Set.of(0)), Map.of(TOPIC, Set.of(1)))),
                GroupRecord.tombstone(new GroupRecordKey.CurrentAssignment("g", "m")));

        for (GroupRecord record : records) {
            assertThat(roundTrip(record)).isEqualTo(record);
        }
    }

    @Test
    void shouldSkipRecordTypesItDoesNotKeep() {
        ByteBuffer shareGroupKey = ByteBuffer.allocate(4).putShort((short) 10).putShort((short) 0).flip();

        assertThat(GroupRecordSerde.deserialize(shareGroupKey, null)).isNull();
    }

    @Test
    void shouldRefuseGarbage() {
        ByteBuffer truncated = ByteBuffer.wrap(new byte[] {0, 1, 0, 5, 'a'});

        assertThatThrownBy(() -> GroupRecordSerde.deserialize(truncated, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static GroupRecord roundTrip(GroupRecord record) {
        byte[] value = GroupRecordSerde.serializeValue(record.value());
        return GroupRecordSerde.deserialize(ByteBuffer.wrap(GroupRecordSerde.serializeKey(record.key())),
                value == null ? null : ByteBuffer.wrap(value));
    }

    private static ByteBuffer kafkaKey(ApiMessage key) {
        return ByteBuffer.wrap(MessageUtil.toCoordinatorTypePrefixedBytes(key));
    }

    private interface KafkaReader<T> {
        T read(ByteBufferAccessor accessor, short version);
    }

    private static <T> T readValue(GroupRecordValue value, KafkaReader<T> reader) {
        ByteBuffer bytes = ByteBuffer.wrap(GroupRecordSerde.serializeValue(value));
        short version = bytes.getShort();
        return reader.read(new ByteBufferAccessor(bytes), version);
    }
}
