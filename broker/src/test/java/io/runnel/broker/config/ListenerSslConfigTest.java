package io.runnel.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class ListenerSslConfigTest {

    private static BrokerConfig sslBroker(String... keyValues) {
        Map<String, String> properties = new HashMap<>(Map.of("listeners", "PLAINTEXT://localhost:9092,SSL://localhost:9093"));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return BrokerConfig.parse(properties);
    }

    @Test
    void shouldServeSslListenersWithKafkasDefaults() {
        Map<String, Object> ssl = sslBroker().sslConfigs("SSL").orElseThrow();

        assertThat(ssl).containsEntry("ssl.keystore.type", "JKS")
                .containsEntry("ssl.truststore.type", "JKS")
                .containsEntry("ssl.protocol", "TLSv1.3")
                .containsEntry("ssl.enabled.protocols", List.of("TLSv1.2", "TLSv1.3"))
                .containsEntry("ssl.client.auth", "none")
                .containsEntry("ssl.endpoint.identification.algorithm", "https")
                .containsEntry("ssl.principal.mapping.rules", "DEFAULT");
    }

    @Test
    void shouldHaveNoSslConfigsForAPlaintextListener() {
        assertThat(sslBroker().sslConfigs("PLAINTEXT")).isEmpty();
    }

    @Test
    void shouldLetTheLowerCaseListenerPrefixWinOverTheUnprefixedKey() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "CLIENTS://localhost:9093,INTERNAL://localhost:9094",
                "listener.security.protocol.map", "CLIENTS:SSL,INTERNAL:SSL",
                "ssl.keystore.location", "/shared.p12", "ssl.keystore.password", "shared-secret", "ssl.client.auth", "requested",
                "listener.name.clients.ssl.keystore.location", "/clients.p12", "listener.name.clients.ssl.client.auth", "required"));

        Map<String, Object> clients = config.sslConfigs("CLIENTS").orElseThrow();
        Map<String, Object> internal = config.sslConfigs("INTERNAL").orElseThrow();

        assertThat(clients).containsEntry("ssl.keystore.location", "/clients.p12").containsEntry("ssl.client.auth", "required")
                .containsEntry("ssl.keystore.password", new Password("shared-secret"));
        assertThat(internal).containsEntry("ssl.keystore.location", "/shared.p12").containsEntry("ssl.client.auth", "requested");
        assertThat(config.unknownKeys()).isEmpty();
    }

    @Test
    void shouldAskSaslSslClientsForCertificatesOnlyWithTheListenerPrefixedKey() {
        Map<String, String> properties = new HashMap<>(Map.of("listeners", "SASL_SSL://localhost:9093",
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_ssl.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required user_a=\"a\";",
                "ssl.client.auth", "required"));

        assertThat(BrokerConfig.parse(properties).sslConfigs("SASL_SSL")).hasValueSatisfying(ssl -> assertThat(ssl).containsEntry("ssl.client.auth", "none"));
        properties.put("listener.name.sasl_ssl.ssl.client.auth", "requested");
        assertThat(BrokerConfig.parse(properties).sslConfigs("SASL_SSL")).hasValueSatisfying(ssl -> assertThat(ssl).containsEntry("ssl.client.auth", "requested"));
    }

    @Test
    void shouldParseProtocolsAndCipherSuitesAsLists() {
        Map<String, Object> ssl = sslBroker("ssl.enabled.protocols", "TLSv1.2", "ssl.cipher.suites",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384").sslConfigs("SSL").orElseThrow();

        assertThat(ssl).containsEntry("ssl.enabled.protocols", List.of("TLSv1.2"))
                .containsEntry("ssl.cipher.suites", List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
    }

    @Test
    void shouldRefuseAClientAuthKafkaDoesNotKnow() {
        assertThatThrownBy(() -> sslBroker("listener.name.ssl.ssl.client.auth", "sometimes"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("ssl.client.auth").hasMessageContaining("sometimes").hasMessageContaining("listener SSL");
    }

    @Test
    void shouldServeWithTheJdkEngineUnlessAListenerAsksForOpenSsl() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "CLIENTS://localhost:9093,INTERNAL://localhost:9094",
                "listener.security.protocol.map", "CLIENTS:SSL,INTERNAL:SSL", "listener.name.clients.runnel.ssl.provider", "openssl"));

        assertThat(config.sslConfigs("CLIENTS").orElseThrow()).containsEntry(BrokerConfig.SSL_PROVIDER, "openssl");
        assertThat(config.sslConfigs("INTERNAL").orElseThrow()).containsEntry(BrokerConfig.SSL_PROVIDER, "jdk");
        assertThat(config.unknownKeys()).isEmpty();
    }

    @Test
    void shouldRefuseAnSslProviderOtherThanJdkOrOpenSsl() {
        assertThatThrownBy(() -> sslBroker("runnel.ssl.provider", "boringssl"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("runnel.ssl.provider").hasMessageContaining("boringssl");
    }

    @Test
    void shouldRefuseMalformedPrincipalMappingRules() {
        assertThatThrownBy(() -> sslBroker("ssl.principal.mapping.rules", "RULE:^CN=(.*)$"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("ssl.principal.mapping.rules");
    }

    @Test
    void shouldStillWarnAboutAListenerPrefixOnAKeyThatIsNotSsl() {
        assertThat(sslBroker("listener.name.ssl.ssl.keystore.location", "/k.p12", "listener.name.ssl.no.such.key", "x").unknownKeys())
                .containsOnlyKeys("listener.name.ssl.no.such.key");
    }
}
