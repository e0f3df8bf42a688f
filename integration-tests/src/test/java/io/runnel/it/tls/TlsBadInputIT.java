package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.config.InvalidConfigException;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.TlsClientConfigs;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an SSL listener refuses: bad stores at start, in one line naming the listener; and, once
 * serving, plaintext clients, clients without a certificate or with one from another CA, while the
 * broker keeps serving a good client.
 */
class TlsBadInputIT {

    @TempDir
    static Path certificates;
    private static TestCertificates ca;
    private static TestIdentity brokerIdentity;
    private static TestIdentity alice;
    private static TestCertificates otherCa;
    private static TestIdentity mallory;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void issueCertificates() {
        ca = TestCertificates.create(certificates.resolve("ca"), "Runnel Test CA");
        brokerIdentity = ca.issue("broker", "CN=localhost,O=Runnel");
        alice = ca.issue("alice", "CN=alice,O=Runnel");
        otherCa = TestCertificates.create(certificates.resolve("other-ca"), "Runnel Test CA");
        mallory = otherCa.issue("mallory", "CN=alice,O=Runnel");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefusedAtStart(Map<String, String> brokerConfigs) {
        return assertThatThrownBy(() -> EmbeddedBroker.start(tempDir, "SSL", brokerConfigs).close())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("listener SSL")
                .hasMessageNotContaining("\n");
    }

    private static Map<String, String> with(Map<String, String> configs, String key, String value) {
        Map<String, String> changed = new HashMap<>(configs);
        changed.put(key, value);
        return changed;
    }

    @Test
    void shouldRefuseToStartWithAKeystoreThatCannotBeRead() {
        String missing = tempDir.resolve("missing.p12").toString();

        assertRefusedAtStart(with(brokerIdentity.keystoreConfigs("PKCS12"), "ssl.keystore.location", missing)).hasMessageContaining(missing);
    }

    @Test
    void shouldRefuseToStartWithAWrongKeystorePassword() {
        assertRefusedAtStart(with(brokerIdentity.keystoreConfigs("PKCS12"), "ssl.keystore.password", "wrong"))
                .hasMessageContaining("keystore password was incorrect");
    }

    @Test
    void shouldRefuseToStartWithAWrongKeyPassword() {
        assertRefusedAtStart(with(brokerIdentity.keystoreConfigs("JKS"), "ssl.key.password", "wrong"))
                .hasMessageContaining("Cannot recover key");
    }

    @Test
    void shouldRefuseToStartWithoutAKeystore() {
        assertRefusedAtStart(Map.of()).hasMessageContaining("ssl.keystore.location");
    }

    @Test
    void shouldRefuseToRequireClientCertificatesWithoutATruststore() {
        assertRefusedAtStart(with(brokerIdentity.keystoreConfigs("PKCS12"), "ssl.client.auth", "required"))
                .hasMessageContaining("ssl.truststore.location");
    }

    @Test
    void shouldCloseAPlaintextClientAndKeepServingTlsClients() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", brokerIdentity.keystoreConfigs("PKCS12"));
             RawKafkaConnection plaintext = RawKafkaConnection.open(broker.bootstrapServers())) {
            plaintext.send(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData().setClientSoftwareName("plain").setClientSoftwareVersion("1"));

            assertThat(plaintext.isClosedByBroker()).isTrue();
            assertThat(TlsListenerIT.clusterId(broker, TlsClientConfigs.trusting(ca, "PKCS12"))).isNotBlank();
        }
    }

    @Test
    void shouldRefuseACertificateFromAnotherCaAndClientsWithoutOneWhenRequired() throws Exception {
        Map<String, String> brokerConfigs = new HashMap<>(brokerIdentity.keystoreConfigs("PKCS12"));
        brokerConfigs.putAll(ca.truststoreConfigs("PKCS12"));
        brokerConfigs.put("ssl.client.auth", "required");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", brokerConfigs)) {
            assertThatThrownBy(() -> TlsListenerIT.clusterId(broker, TlsClientConfigs.mutual(ca, "PKCS12", mallory, "PKCS12")))
                    .hasCauseInstanceOf(SslAuthenticationException.class);
            assertThatThrownBy(() -> TlsListenerIT.clusterId(broker, TlsClientConfigs.trusting(ca, "PKCS12")))
                    .hasCauseInstanceOf(SslAuthenticationException.class);

            assertThat(TlsListenerIT.clusterId(broker, TlsClientConfigs.mutual(ca, "PKCS12", alice, "PKCS12"))).isNotBlank();
        }
    }
}
