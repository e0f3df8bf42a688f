package io.runnel.it.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection_creation_rate quota of ip entities, set with AlterClientQuotas, against raw connections:
 * an address over its quota has its new connections closed (after a short hold, as Kafka does) while another
 * address is served; the default ip entity limits every address without one of its own. A Kafka rate is
 * measured over at least ten one-second windows, so a quota of one per second lets about ten connections in
 * before it refuses any. The broker listens on 127.0.0.1; raw connections bound to 127.0.0.2 come from another address.
 */
class IpConnectionRateIT {

    private static final int ATTEMPTS = 15;

    @TempDir
    Path dataDir;

    private static ClientQuotaEntity ip(String address) {
        Map<String, String> entries = new HashMap<>();
        entries.put(ClientQuotaEntity.IP, address);
        return new ClientQuotaEntity(entries);
    }

    private static void setRate(EmbeddedBroker broker, ClientQuotaEntity entity, double connectionsPerSecond) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                    List.of(new ClientQuotaAlteration.Op("connection_creation_rate", connectionsPerSecond))))).all().get();
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get().containsKey(entity));
        }
    }

    /** How many of {@link #ATTEMPTS} new connections from {@code from} get an answer; the others the broker closes. */
    private static int servedOf(EmbeddedBroker broker, String from) {
        int served = 0;
        for (int i = 0; i < ATTEMPTS; i++) {
            try (RawKafkaConnection connection = RawKafkaConnection.openFrom(broker.bootstrapServers(), from).readTimeout(Duration.ofSeconds(5))) {
                ApiVersionsResponseData answer = connection.call(ApiKeys.API_VERSIONS, (short) 3,
                        new ApiVersionsRequestData().setClientSoftwareName("runnel-it").setClientSoftwareVersion("1"));
                assertThat(answer.errorCode()).isZero();
                served++;
            } catch (RuntimeException closedByTheBroker) {
                // refused: held, then closed without an answer
            }
        }
        return served;
    }

    @Test
    void shouldRefuseConnectionsOverAnAddresssQuotaWhileAnotherAddressIsServed() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of())) {
            setRate(broker, ip("127.0.0.1"), 1);

            assertThat(servedOf(broker, "127.0.0.1")).isBetween(1, ATTEMPTS - 3);
            assertThat(servedOf(broker, "127.0.0.2")).isEqualTo(ATTEMPTS);
        }
    }

    @Test
    void shouldHoldEveryAddressToTheDefaultIpQuotaButThoseWithTheirOwn() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of())) {
            setRate(broker, ip("127.0.0.2"), 1_000);
            setRate(broker, ip(null), 1);

            assertThat(servedOf(broker, "127.0.0.1")).isBetween(1, ATTEMPTS - 3);
            assertThat(servedOf(broker, "127.0.0.2")).isEqualTo(ATTEMPTS);
        }
    }
}
