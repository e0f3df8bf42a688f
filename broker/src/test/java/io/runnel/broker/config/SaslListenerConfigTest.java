package io.runnel.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** SASL listener settings read with Kafka's keys, and each bad input refused at start with one line naming the key. */
class SaslListenerConfigTest {

    private static final String PLAIN_USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"alice-secret\";";

    private static Map<String, String> saslListener(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "listeners", "PLAINTEXT://localhost:0,SECURE://localhost:0",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SECURE:SASL_PLAINTEXT"));
        properties.putAll(extra);
        return properties;
    }

    @Test
    void shouldReadThePlainUsersFromTheListenersJaasLine() {
        BrokerConfig config = BrokerConfig.parse(saslListener(Map.of(
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.secure.plain.sasl.jaas.config", PLAIN_USERS)));

        SaslListenerConfig sasl = config.saslListeners().get("SECURE");
        assertThat(config.saslListeners()).containsOnlyKeys("SECURE");
        assertThat(sasl.mechanisms()).containsExactly("PLAIN");
        assertThat(sasl.jaasEntries().get("PLAIN")).singleElement()
                .satisfies(entry -> assertThat(entry.getOptions().get("user_alice")).isEqualTo("alice-secret"));
        assertThat(config.unknownKeys()).isEmpty();
        assertThat(config.saslServerMaxReceiveSize()).isEqualTo(524288);
        assertThat(config.failedAuthenticationDelayMs()).isEqualTo(100);
    }

    @Test
    void shouldLetTheListenerPrefixedMechanismsWin() {
        BrokerConfig config = BrokerConfig.parse(saslListener(Map.of(
                "sasl.enabled.mechanisms", "GSSAPI",
                "listener.name.secure.sasl.enabled.mechanisms", "PLAIN",
                "listener.name.secure.plain.sasl.jaas.config", PLAIN_USERS)));

        assertThat(config.saslListeners().get("SECURE").mechanisms()).containsExactly("PLAIN");
    }

    @Test
    void shouldRefuseKafkasDefaultMechanismGssapiByName() {
        assertRefused(Map.of("listener.name.secure.plain.sasl.jaas.config", PLAIN_USERS))
                .hasMessage("Invalid value 'GSSAPI' for configuration sasl.enabled.mechanisms: Runnel does not serve GSSAPI yet;"
                        + " the mechanisms served are PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
    }

    @Test
    void shouldRefuseAnUnknownMechanism() {
        assertRefused(Map.of("listener.name.secure.sasl.enabled.mechanisms", "PLAIN,MAGIC",
                "listener.name.secure.plain.sasl.jaas.config", PLAIN_USERS))
                .hasMessage("Invalid value 'MAGIC' for configuration listener.name.secure.sasl.enabled.mechanisms: unknown SASL mechanism;"
                        + " the mechanisms served are PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
    }

    @Test
    void shouldRefuseAJaasLineThatDoesNotParseWithoutPrintingItsPasswords() {
        assertRefused(Map.of("sasl.enabled.mechanisms", "PLAIN",
                "listener.name.secure.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"s3cret\""))
                .hasMessageStartingWith("Invalid value for configuration listener.name.secure.plain.sasl.jaas.config: ")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void shouldRefuseAnEnabledMechanismWithoutAJaasConfig() {
        assertRefused(Map.of("sasl.enabled.mechanisms", "PLAIN"))
                .hasMessageStartingWith("Missing configuration listener.name.secure.plain.sasl.jaas.config: listener SECURE enables SASL mechanism PLAIN");
    }

    @Test
    void shouldIgnoreAnUnprefixedJaasConfigAsKafkaBrokersDo() {
        assertRefused(Map.of("sasl.enabled.mechanisms", "PLAIN", "sasl.jaas.config", PLAIN_USERS))
                .hasMessageStartingWith("Missing configuration listener.name.secure.plain.sasl.jaas.config");
    }

    @Test
    void shouldRefuseAPlainJaasLineWithAnotherLoginModule() {
        assertRefused(Map.of("sasl.enabled.mechanisms", "PLAIN",
                "listener.name.secure.plain.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"))
                .hasMessageContaining("mechanism PLAIN needs the login module org.apache.kafka.common.security.plain.PlainLoginModule");
    }

    @Test
    void shouldRequireKafkasScramLoginModuleForAScramMechanism() {
        BrokerConfig config = BrokerConfig.parse(saslListener(Map.of("sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "listener.name.secure.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")));
        assertThat(config.saslListeners().get("SECURE").mechanisms()).containsExactly("SCRAM-SHA-512");

        assertRefused(Map.of("sasl.enabled.mechanisms", "SCRAM-SHA-256",
                "listener.name.secure.scram-sha-256.sasl.jaas.config", PLAIN_USERS))
                .hasMessageContaining("mechanism SCRAM-SHA-256 needs the login module org.apache.kafka.common.security.scram.ScramLoginModule");
    }

    @Test
    void shouldServeSaslSslWithTheListenersSaslAndSslKeys() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "listeners", "PLAINTEXT://localhost:0,SECURE://localhost:0",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SECURE:SASL_SSL",
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.secure.plain.sasl.jaas.config", PLAIN_USERS,
                "listener.name.secure.ssl.keystore.location", "/secure.p12"));

        assertThat(config.saslListeners().get("SECURE").mechanisms()).containsExactly("PLAIN");
        assertThat(config.sslConfigs("SECURE")).hasValueSatisfying(ssl -> assertThat(ssl).containsEntry("ssl.keystore.location", "/secure.p12"));
        assertThat(config.unknownKeys()).isEmpty();
    }

    @Test
    void shouldRefuseSaslSslWithoutAJaasLine() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "SASL_SSL://localhost:0", "sasl.enabled.mechanisms", "PLAIN")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sasl.jaas.config");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Map<String, String> extra) {
        return assertThatThrownBy(() -> BrokerConfig.parse(saslListener(extra))).isInstanceOf(InvalidConfigException.class);
    }
}
