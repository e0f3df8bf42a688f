package io.runnel.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class MetadataRecordSerdeTest {

    private static final Uuid TOPIC = Uuid.randomUuid();
    /** A partition moving from brokers 1, 2 to 2, 3, with a last known leader from before. */
    private static final PartitionRegistration MOVING = new PartitionRegistration(List.of(2, 3, 1), List.of(1, 2), List.of(), 1, 4, 8,
            List.of(7), List.of(3), List.of(1));

    /** One of every record type, with nulls and empties where a field allows them. */
    static List<MetadataRecord> everyRecordType() {
        return List.of(
                new MetadataRecord.ClusterIdRecord("cluster-1"),
                new MetadataRecord.FeatureLevelRecord("metadata.version", (short) 7),
                new MetadataRecord.RegisterBrokerRecord(new BrokerRegistration(3, 12, Uuid.randomUuid(), Uuid.randomUuid(),
                        List.of(new BrokerEndpoint("PLAINTEXT", "h3", 9092), new BrokerEndpoint("SSL", "h3", 9093)), "rack-a", true, false)),
                new MetadataRecord.RegisterBrokerRecord(new BrokerRegistration(4, 13, Uuid.randomUuid(), Uuid.randomUuid(), List.of(), null, false, true)),
                new MetadataRecord.BrokerRegistrationChangeRecord(3, 12, false, true),
                new MetadataRecord.UnregisterBrokerRecord(4, 13),
                new MetadataRecord.TopicRecord("orders", TOPIC),
                new MetadataRecord.PartitionRecord(TOPIC, 2, new PartitionRegistration(List.of(1, 2, 3), List.of(1, 3), List.of(2), 1, 5, 9)),
                new MetadataRecord.PartitionChangeRecord(TOPIC, 2, MetadataRecord.PartitionChangeRecord.NO_LEADER_CHANGE, List.of(3), null, null),
                new MetadataRecord.PartitionChangeRecord(TOPIC, 0, PartitionRegistration.NO_LEADER, null, List.of(), List.of(4, 5)),
                new MetadataRecord.PartitionRecord(TOPIC, 3, MOVING),
                new MetadataRecord.PartitionChangeRecord(TOPIC, 3, 2, List.of(2, 3), List.of(), List.of(2, 3), List.of(), List.of(), List.of()),
                new MetadataRecord.PartitionChangeRecord(TOPIC, 4, PartitionRegistration.NO_LEADER, List.of(), List.of(1), null, List.of(1), null, null),
                new MetadataRecord.RemoveTopicRecord(TOPIC),
                new MetadataRecord.ProducerIdsAllocated(1_000_000L),
                new MetadataRecord.TopicConfigsChanged(TOPIC, Map.of("retention.ms", "1000", "cleanup.policy", "compact")),
                new MetadataRecord.TopicConfigsChanged(TOPIC, Map.of()),
                new MetadataRecord.BrokerConfigsChanged(MetadataImage.DEFAULT_BROKER, Map.of("log.retention.ms", "5")),
                new MetadataRecord.BrokerConfigsChanged("3", Map.of()),
                new MetadataRecord.AccessControlEntryRecord(TOPIC, new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders-", PatternType.PREFIXED),
                        new AccessControlEntry("User:alice", "10.0.0.1", AclOperation.WRITE, AclPermissionType.DENY))),
                new MetadataRecord.RemoveAccessControlEntryRecord(TOPIC),
                new MetadataRecord.UserScramCredentialRecord("alice", (byte) 1, new byte[] {1, 2}, new byte[] {3, 4, 5}, new byte[] {6}, 8192),
                new MetadataRecord.RemoveUserScramCredentialRecord("alice", (byte) 2),
                new MetadataRecord.ClientQuotaRecord(entity("user", "alice", "client-id", null), "producer_byte_rate", 1024.5, false),
                new MetadataRecord.ClientQuotaRecord(entity("client-id", "app"), "consumer_byte_rate", 0, true));
    }

    @Test
    void shouldRoundTripEveryRecordTypeInABatch() throws Exception {
        List<MetadataRecord> records = everyRecordType();

        assertThat(MetadataRecordSerde.deserializeBatch(MetadataRecordSerde.serializeBatch(records))).isEqualTo(records);
    }

    @Test
    void shouldRoundTripEachRecordAlone() throws Exception {
        for (MetadataRecord record : everyRecordType()) {
            assertThat(MetadataRecordSerde.deserializeBatch(MetadataRecordSerde.serializeBatch(List.of(record)))).containsExactly(record);
        }
    }

    @Test
    void shouldWritePartitionRecordsWithoutReassignmentOrLastKnownLeaderInTheFirstLayout() {
        PartitionRegistration settled = new PartitionRegistration(List.of(1, 2), List.of(1), List.of(2), 1, 3, 5);

        assertThat(MetadataRecordSerde.serialize(new MetadataRecord.PartitionRecord(TOPIC, 0, settled))[0]).isEqualTo((byte) 13);
        assertThat(MetadataRecordSerde.serialize(new MetadataRecord.PartitionChangeRecord(TOPIC, 0, 2, List.of(2), null, null))[0]).isEqualTo((byte) 14);
        assertThat(MetadataRecordSerde.serialize(new MetadataRecord.PartitionRecord(TOPIC, 0, MOVING))[0]).isEqualTo((byte) 16);
    }

    @Test
    void shouldReadPartitionRecordsOfTheFirstLayoutWithNoReassignmentAndNoLastKnownLeader() throws Exception {
        byte[] partition = bytes(out -> {
            out.writeByte(13);
            MetadataRecordSerde.writeUuid(out, TOPIC);
            out.writeInt(2);
            MetadataRecordSerde.writeInts(out, List.of(1, 2));
            MetadataRecordSerde.writeInts(out, List.of(1));
            MetadataRecordSerde.writeInts(out, List.of());
            out.writeInt(1);
            out.writeInt(3);
            out.writeInt(5);
        });
        byte[] change = bytes(out -> {
            out.writeByte(14);
            MetadataRecordSerde.writeUuid(out, TOPIC);
            out.writeInt(2);
            out.writeInt(-2);
            MetadataRecordSerde.writeInts(out, List.of(1, 2));
            MetadataRecordSerde.writeInts(out, null);
            MetadataRecordSerde.writeInts(out, null);
        });

        assertThat(MetadataRecordSerde.deserialize(partition)).isEqualTo(new MetadataRecord.PartitionRecord(TOPIC, 2,
                new PartitionRegistration(List.of(1, 2), List.of(1), List.of(), 1, 3, 5, List.of(), List.of(), List.of())));
        assertThat(MetadataRecordSerde.deserialize(change)).isEqualTo(new MetadataRecord.PartitionChangeRecord(TOPIC, 2, -2, List.of(1, 2), null, null,
                null, null, null));
    }

    @Test
    void shouldKeepAMoveInProgressThroughASnapshot() throws Exception {
        MetadataImage image = MetadataImage.EMPTY.apply(List.of(new MetadataRecord.TopicRecord("orders", TOPIC),
                new MetadataRecord.PartitionRecord(TOPIC, 0, PartitionRegistration.initial(List.of(1, 2), 1)),
                new MetadataRecord.PartitionChangeRecord(TOPIC, 0, MetadataRecord.PartitionChangeRecord.NO_LEADER_CHANGE, null, null,
                        List.of(2, 3, 1), null, List.of(3), List.of(1))), 7);

        MetadataImage restored = MetadataImage.EMPTY.apply(MetadataRecordSerde.deserializeBatch(MetadataRecordSerde.serializeBatch(image.asRecords())), 7);

        PartitionRegistration partition = restored.topic(TOPIC).orElseThrow().partition(0);
        assertThat(partition).isEqualTo(image.topic(TOPIC).orElseThrow().partition(0));
        assertThat(partition.addingReplicas()).containsExactly(3);
        assertThat(partition.removingReplicas()).containsExactly(1);
        assertThat(partition.targetReplicas()).containsExactly(2, 3);
        assertThat(partition.originalReplicas()).containsExactly(2, 1);
    }

    private static byte[] bytes(BinaryWriter writer) {
        return BinaryWriter.toBytes(writer);
    }

    @Test
    void shouldRoundTripEmptyBatch() throws Exception {
        assertThat(MetadataRecordSerde.deserializeBatch(MetadataRecordSerde.serializeBatch(List.of()))).isEmpty();
    }

    @Test
    void shouldCoverEveryRecordType() {
        assertThat(everyRecordType()).extracting(Object::getClass).map(Class::getSimpleName).containsAll(
                java.util.Arrays.stream(MetadataRecord.class.getPermittedSubclasses()).map(Class::getSimpleName).toList());
    }

    /** A client quota entity from entity type and name pairs (a null name: the default entity). */
    private static org.apache.kafka.common.quota.ClientQuotaEntity entity(String... typesAndNames) {
        java.util.Map<String, String> entries = new java.util.HashMap<>();
        for (int i = 0; i < typesAndNames.length; i += 2) {
            entries.put(typesAndNames[i], typesAndNames[i + 1]);
        }
        return new org.apache.kafka.common.quota.ClientQuotaEntity(entries);
    }
}
