package io.runnel.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

/** Client quotas replayed into the image, as Kafka's ClientQuotasImage keeps them, and carried by a snapshot. */
class ClientQuotasImageTest {

    private static final ClientQuotaEntity ALICE = new ClientQuotaEntity(Map.of("user", "alice"));
    private static final ClientQuotaEntity DEFAULT_CLIENT = defaultClient();

    private static ClientQuotaEntity defaultClient() {
        Map<String, String> entries = new HashMap<>();
        entries.put("client-id", null);
        return new ClientQuotaEntity(entries);
    }

    private static MetadataRecord.ClientQuotaRecord set(ClientQuotaEntity entity, String key, double value) {
        return new MetadataRecord.ClientQuotaRecord(entity, key, value, false);
    }

    @Test
    void shouldKeepTheLatestValuePerEntityAndKey() {
        MetadataImage image = MetadataImage.EMPTY.apply(List.of(set(ALICE, "producer_byte_rate", 1000), set(ALICE, "consumer_byte_rate", 2000),
                set(ALICE, "producer_byte_rate", 3000), set(DEFAULT_CLIENT, "request_percentage", 50)), 4);

        assertThat(image.clientQuotas()).containsOnlyKeys(ALICE, DEFAULT_CLIENT);
        assertThat(image.clientQuotas().get(ALICE)).isEqualTo(Map.of("producer_byte_rate", 3000.0, "consumer_byte_rate", 2000.0));
        assertThat(image.clientQuotas().get(DEFAULT_CLIENT)).isEqualTo(Map.of("request_percentage", 50.0));
    }

    @Test
    void shouldForgetAnEntityWhoseLastQuotaIsRemoved() {
        MetadataImage image = MetadataImage.EMPTY.apply(List.of(set(ALICE, "producer_byte_rate", 1000), set(ALICE, "consumer_byte_rate", 2000),
                new MetadataRecord.ClientQuotaRecord(ALICE, "producer_byte_rate", 0, true)), 3);
        assertThat(image.clientQuotas().get(ALICE)).containsOnlyKeys("consumer_byte_rate");

        MetadataImage emptied = image.apply(new MetadataRecord.ClientQuotaRecord(ALICE, "consumer_byte_rate", 0, true));

        assertThat(emptied.clientQuotas()).isEmpty();
    }

    @Test
    void shouldKeepTheSameQuotaMapWhenABatchChangesNoQuota() {
        MetadataImage image = MetadataImage.EMPTY.apply(List.of(set(ALICE, "producer_byte_rate", 1000)), 1);

        MetadataImage next = image.apply(List.of(new MetadataRecord.ProducerIdsAllocated(5000)), 2);

        assertThat(next.clientQuotas()).isSameAs(image.clientQuotas());
    }

    @Test
    void shouldRebuildTheQuotasFromTheImagesRecords() {
        MetadataImage image = MetadataImage.EMPTY.apply(List.of(set(ALICE, "producer_byte_rate", 1000), set(DEFAULT_CLIENT, "consumer_byte_rate", 5)), 2);

        MetadataImage rebuilt = MetadataImage.EMPTY.apply(image.asRecords(), 2);

        assertThat(rebuilt.clientQuotas()).isEqualTo(image.clientQuotas());
    }
}
