package io.runnel.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.ConnectionLimits;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionQuotasTest {

    private static final InetAddress FIRST = address("127.0.0.1");
    private static final InetAddress SECOND = address("127.0.0.2");

    @Test
    void shouldRefuseAnAddressAtItsLimitWhileAnotherIsServed() {
        ConnectionQuotas quotas = quotas(Map.of("max.connections.per.ip", "2"));

        assertThat(quotas.open("PLAINTEXT", FIRST)).isEqualTo(-1);
        assertThat(quotas.open("PLAINTEXT", FIRST)).isEqualTo(-1);
        assertThat(quotas.open("PLAINTEXT", FIRST)).isEqualTo(2);
        assertThat(quotas.open("PLAINTEXT", SECOND)).isEqualTo(-1);

        quotas.close("PLAINTEXT", FIRST);
        assertThat(quotas.open("PLAINTEXT", FIRST)).isEqualTo(-1);
        assertThat(quotas.count(FIRST)).isEqualTo(2);
    }

    @Test
    void shouldApplyPerAddressOverrides() {
        ConnectionQuotas quotas = quotas(Map.of("max.connections.per.ip", "0", "max.connections.per.ip.overrides", "127.0.0.2:1"));

        assertThat(quotas.open("PLAINTEXT", FIRST)).isZero();
        assertThat(quotas.open("PLAINTEXT", SECOND)).isEqualTo(-1);
        assertThat(quotas.open("PLAINTEXT", SECOND)).isEqualTo(1);
    }

    @Test
    void shouldHaveNoSlotAtTheBrokerWideLimitUntilAConnectionCloses() {
        ConnectionQuotas quotas = quotas(Map.of("max.connections", "2"));
        quotas.open("PLAINTEXT", FIRST);
        quotas.open("PLAINTEXT", SECOND);
        AtomicInteger wakeUps = new AtomicInteger();
        quotas.onSlotFreed(wakeUps::incrementAndGet);

        assertThat(quotas.slotAvailable("PLAINTEXT")).isFalse();
        quotas.close("PLAINTEXT", FIRST);

        assertThat(quotas.slotAvailable("PLAINTEXT")).isTrue();
        assertThat(wakeUps).hasValue(1);
    }

    @Test
    void shouldLetTheInterBrokerListenerPastTheBrokerWideLimitButNotPastItsOwn() {
        ConnectionQuotas quotas = twoListeners(Map.of("max.connections", "1", "listener.name.internal.max.connections", "2"));
        quotas.open("EXTERNAL", FIRST);

        assertThat(quotas.slotAvailable("EXTERNAL")).isFalse();
        assertThat(quotas.slotAvailable("INTERNAL")).isTrue();
        quotas.open("INTERNAL", SECOND);
        quotas.open("INTERNAL", SECOND);
        assertThat(quotas.slotAvailable("INTERNAL")).isFalse();
    }

    @Test
    void shouldLimitAListenerToItsOwnMaxConnections() {
        ConnectionQuotas quotas = twoListeners(Map.of("listener.name.external.max.connections", "1"));
        quotas.open("EXTERNAL", FIRST);

        assertThat(quotas.slotAvailable("EXTERNAL")).isFalse();
        assertThat(quotas.slotAvailable("INTERNAL")).isTrue();
    }

    @Test
    void shouldDelayConnectionsBeyondTheCreationRateAsKafkaQuotasDo() {
        ConnectionQuotas quotas = quotas(Map.of("max.connection.creation.rate", "2"));
        long now = 1_000_000;

        // A Kafka rate is measured over at least 10 full one-second windows: 20 connections fit before any delay.
        for (int i = 0; i < 20; i++) {
            assertThat(quotas.recordCreation("PLAINTEXT", now)).isZero();
        }
        long delay = quotas.recordCreation("PLAINTEXT", now);

        assertThat(delay).isPositive().isLessThanOrEqualTo(1000);
        assertThat(quotas.recordCreation("PLAINTEXT", now + 60_000)).isZero();
    }

    @Test
    void shouldTakeANewCreationRateWithoutLosingCounts() {
        ConnectionQuotas quotas = quotas(Map.of());
        quotas.open("PLAINTEXT", FIRST);
        long now = 1_000_000;

        quotas.reconfigure(limits(Map.of("max.connection.creation.rate", "1", "max.connections", "1")));

        for (int i = 0; i < 10; i++) {
            quotas.recordCreation("PLAINTEXT", now);
        }
        assertThat(quotas.recordCreation("PLAINTEXT", now)).isPositive();
        assertThat(quotas.slotAvailable("PLAINTEXT")).isFalse();
    }

    private static ConnectionQuotas quotas(Map<String, String> configs) {
        return new ConnectionQuotas(limits(configs), "PLAINTEXT");
    }

    private static ConnectionLimits limits(Map<String, String> configs) {
        return BrokerConfig.parse(configs).connectionLimits();
    }

    private static ConnectionQuotas twoListeners(Map<String, String> configs) {
        Map<String, String> all = new HashMap<>(configs);
        all.put("listeners", "EXTERNAL://localhost:0,INTERNAL://localhost:0");
        all.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,INTERNAL:PLAINTEXT");
        all.put("inter.broker.listener.name", "INTERNAL");
        return new ConnectionQuotas(BrokerConfig.parse(all).connectionLimits(), "INTERNAL");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
