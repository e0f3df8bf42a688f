package io.runnel.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class MetadataRecordSerdeTest {

    private static final Uuid TOPIC = Uuid.randomUuid();

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
                new MetadataRecord.RemoveTopicRecord(TOPIC),
                new MetadataRecord.ProducerIdsAllocated(1_000_000L),
                new MetadataRecord.TopicConfigsChanged(TOPIC, Map.of("retention.ms", "1000", "cleanup.policy", "compact")),
                new MetadataRecord.TopicConfigsChanged(TOPIC, Map.of()),
                new MetadataRecord.BrokerConfigsChanged(MetadataImage.DEFAULT_BROKER, Map.of("log.retention.ms", "5")),
                new MetadataRecord.BrokerConfigsChanged("3", Map.of()));
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
    void shouldRoundTripEmptyBatch() throws Exception {
        assertThat(MetadataRecordSerde.deserializeBatch(MetadataRecordSerde.serializeBatch(List.of()))).isEmpty();
    }

    @Test
    void shouldCoverEveryRecordType() {
        assertThat(everyRecordType()).extracting(Object::getClass).map(Class::getSimpleName).containsAll(
                java.util.Arrays.stream(MetadataRecord.class.getPermittedSubclasses()).map(Class::getSimpleName).toList());
    }
}
