package io.runnel.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.config.QuotaWindow;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

/** The ip entities' connection_creation_rate quotas, as Kafka's ConnectionQuotas applies them, on a clock of the test's. */
class IpConnectionRatesTest {

    private static final long NOW = 1_000_000;

    private final IpConnectionRates rates = new IpConnectionRates(QuotaWindow.DEFAULT);

    private static ClientQuotaEntity ip(String address) {
        Map<String, String> entries = new HashMap<>();
        entries.put(ClientQuotaEntity.IP, address);
        return new ClientQuotaEntity(entries);
    }

    private static Map<String, Double> rate(double connectionsPerSecond) {
        return Map.of("connection_creation_rate", connectionsPerSecond);
    }

    /** How many of {@code attempts} connections at once are let in. */
    private int admitted(String address, int attempts) throws Exception {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            if (rates.record(InetAddress.getByName(address), NOW) == 0) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void shouldAdmitEveryConnectionWithoutAQuota() throws Exception {
        rates.update(Map.of(new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "alice")), rate(1)));

        assertThat(admitted("127.0.0.1", 100)).isEqualTo(100);
    }

    @Test
    void shouldRefuseConnectionsOverTheAddresssQuotaOnly() throws Exception {
        rates.update(Map.of(ip("127.0.0.1"), rate(1)));

        // Kafka's rate over its first window counts (samples - 1) whole windows: ten connections at one per second.
        assertThat(admitted("127.0.0.1", 15)).isEqualTo(10);
        assertThat(admitted("127.0.0.2", 15)).isEqualTo(15);
    }

    @Test
    void shouldHoldARefusedConnectionAtMostOneWindow() throws Exception {
        rates.update(Map.of(ip("127.0.0.1"), rate(1)));
        admitted("127.0.0.1", 10);

        assertThat(rates.record(InetAddress.getByName("127.0.0.1"), NOW)).isEqualTo(1_000);
    }

    @Test
    void shouldApplyTheDefaultIpQuotaToAddressesWithoutTheirOwn() throws Exception {
        rates.update(Map.of(ip(null), rate(1), ip("127.0.0.2"), rate(2)));

        assertThat(admitted("127.0.0.1", 15)).isEqualTo(10);
        assertThat(admitted("127.0.0.2", 25)).isEqualTo(20);
    }

    @Test
    void shouldLiftAQuotaOnceItIsRemoved() throws Exception {
        rates.update(Map.of(ip("127.0.0.1"), rate(1)));
        admitted("127.0.0.1", 10);

        rates.update(Map.of());

        assertThat(admitted("127.0.0.1", 15)).isEqualTo(15);
    }
}
