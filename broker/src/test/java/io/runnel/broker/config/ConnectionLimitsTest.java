package io.runnel.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

    @Test
    void shouldDefaultToKafkasValues() {
        ConnectionLimits limits = BrokerConfig.parse(Map.of()).connectionLimits();

        assertThat(limits.maxConnections()).isEqualTo(Integer.MAX_VALUE);
        assertThat(limits.maxConnectionsPerIp()).isEqualTo(Integer.MAX_VALUE);
        assertThat(limits.perIpOverrides()).isEmpty();
        assertThat(limits.listener("PLAINTEXT")).isEqualTo(new ConnectionLimits.ListenerLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, 600_000L));
    }

    @Test
    void shouldLetTheListenerPrefixWinOverTheBrokerWideKey() {
        BrokerConfig config = BrokerConfig.parse(Map.of("max.connections", "100", "connections.max.idle.ms", "5000",
                "listener.name.plaintext.max.connection.creation.rate", "7", "listener.name.plaintext.connections.max.idle.ms", "-1"));

        assertThat(config.connectionLimits().listener("PLAINTEXT")).isEqualTo(new ConnectionLimits.ListenerLimits(100, 7, -1L));
        assertThat(config.unknownKeys()).isEmpty();
    }

    @Test
    void shouldParseOverridesAsHostColonCount() {
        ConnectionLimits limits = BrokerConfig.parse(Map.of("max.connections.per.ip.overrides", "127.0.0.2:3, example.com:5")).connectionLimits();

        assertThat(limits.perIpOverrides()).containsOnly(Map.entry("127.0.0.2", 3), Map.entry("example.com", 5));
    }

    @Test
    void shouldRefuseBadValuesWithKafkasMessages() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("max.connections.per.ip", "0")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set.");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("max.connections.per.ip.overrides", "127.0.0.2")))
                .hasMessageContaining("max.connections.per.ip.overrides");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listener.name.plaintext.max.connections", "-1")))
                .hasMessageContaining("max.connections").hasMessageContaining("listener PLAINTEXT");
    }

    @Test
    void shouldBeDynamicAsInKafkaButForTheBrokerWideIdleTimeout() {
        assertThat(DynamicBrokerConfig.isDynamic("max.connections")).isTrue();
        assertThat(DynamicBrokerConfig.isDynamic("max.connections.per.ip.overrides")).isTrue();
        assertThat(DynamicBrokerConfig.isDynamic("listener.name.external.max.connection.creation.rate")).isTrue();
        assertThat(DynamicBrokerConfig.isDynamic("connections.max.idle.ms")).isFalse();
        assertThat(DynamicBrokerConfig.isDynamic("listener.name.external.connections.max.idle.ms")).isTrue();
    }
}
