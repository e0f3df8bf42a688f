package io.runnel.it.tls;

import static io.runnel.it.tls.TlsListenerIT.assertRoundTrip;
import static io.runnel.it.tls.TlsListenerIT.clusterId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslProvider;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.network.ListenerTls;
import io.runnel.it.support.TlsClientConfigs;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSL listeners with {@code runnel.ssl.provider=openssl} (BoringSSL) through real kafka-clients, which use
 * the JDK's engine: the stores in each format Kafka reads, mutual TLS, protocols and a foreign CA refused.
 */
class OpenSslListenerIT {

    @TempDir
    static Path certificates;
    private static TestCertificates ca;
    private static TestCertificates otherCa;
    private static TestIdentity brokerIdentity;
    private static TestIdentity alice;
    private static TestIdentity mallory;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void issueCertificates() {
        ca = TestCertificates.create(certificates.resolve("ca"), "Runnel Test CA");
        otherCa = TestCertificates.create(certificates.resolve("other-ca"), "Another CA");
        brokerIdentity = ca.issue("broker", "CN=localhost,O=Runnel");
        alice = ca.issue("alice", "CN=alice,O=Runnel");
        mallory = otherCa.issue("mallory", "CN=alice,O=Runnel");
    }

    @Test
    void shouldServeTheListenerWithOpenSslOnlyWhenAskedTo() {
        Map<String, String> properties = new HashMap<>(brokerIdentity.keystoreConfigs("PKCS12"));
        properties.put("listeners", "SSL://localhost:0,OTHER://localhost:0");
        properties.put("listener.security.protocol.map", "SSL:SSL,OTHER:SSL");
        properties.put("listener.name.ssl.runnel.ssl.provider", "openssl");
        BrokerConfig config = BrokerConfig.parse(properties);

        try (ListenerTls openSsl = ListenerTls.create("SSL", config.sslConfigs("SSL").orElseThrow());
             ListenerTls jdk = ListenerTls.create("OTHER", config.sslConfigs("OTHER").orElseThrow())) {
            assertThat(openSsl.provider()).isEqualTo(SslProvider.OPENSSL);
            assertThat(jdk.provider()).isEqualTo(SslProvider.JDK);
        }
    }

    @Test
    void shouldProduceAndConsumeWithPkcs12Stores() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", openSsl(brokerIdentity.keystoreConfigs("PKCS12")))) {
            assertRoundTrip(broker, TlsClientConfigs.trusting(ca, "PKCS12"), "orders");
        }
    }

    @Test
    void shouldServeMutualTlsWithJksStoresWhoseKeyHasItsOwnPassword() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", openSslAskingForCertificates("JKS", "required"))) {
            assertRoundTrip(broker, TlsClientConfigs.mutual(ca, "JKS", alice, "JKS"), "orders");
            assertThatThrownBy(() -> clusterId(broker, TlsClientConfigs.trusting(ca, "JKS"))).hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void shouldServePemStoresAndRequestedClientCertificates() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", openSslAskingForCertificates("PEM", "requested"))) {
            assertRoundTrip(broker, TlsClientConfigs.mutual(ca, "PEM", alice, "PEM"), "orders");
            assertRoundTrip(broker, TlsClientConfigs.trusting(ca, "PEM"), "without-certificate");
        }
    }

    @Test
    void shouldRefuseAClientCertificateFromAnotherCa() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", openSslAskingForCertificates("PKCS12", "required"))) {
            assertThatThrownBy(() -> clusterId(broker, TlsClientConfigs.mutual(ca, "PKCS12", mallory, "PKCS12")))
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void shouldServeTls12AndTls13Clients() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", openSsl(brokerIdentity.keystoreConfigs("PKCS12")))) {
            assertThat(clusterId(broker, onlyProtocol("TLSv1.2"))).isNotBlank();
            assertThat(clusterId(broker, onlyProtocol("TLSv1.3"))).isNotBlank();
        }
    }

    @Test
    void shouldServeOnlyTheEnabledProtocols() throws Exception {
        Map<String, String> brokerConfigs = new HashMap<>(brokerIdentity.keystoreConfigs("PKCS12"));
        brokerConfigs.put("ssl.enabled.protocols", "TLSv1.2");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", openSsl(brokerConfigs))) {
            assertThatThrownBy(() -> clusterId(broker, onlyProtocol("TLSv1.3"))).hasCauseInstanceOf(SslAuthenticationException.class);
            assertThat(clusterId(broker, onlyProtocol("TLSv1.2"))).isNotBlank();
        }
    }

    private static Map<String, String> openSsl(Map<String, String> brokerConfigs) {
        Map<String, String> configs = new HashMap<>(brokerConfigs);
        configs.put(BrokerConfig.SSL_PROVIDER, "openssl");
        return configs;
    }

    /** A listener on OpenSSL with stores of {@code storeType}, trusting the test CA, with {@code ssl.client.auth=clientAuth}. */
    private static Map<String, String> openSslAskingForCertificates(String storeType, String clientAuth) {
        Map<String, String> brokerConfigs = new HashMap<>(brokerIdentity.keystoreConfigs(storeType));
        brokerConfigs.putAll(ca.truststoreConfigs(storeType));
        brokerConfigs.put("ssl.client.auth", clientAuth);
        return openSsl(brokerConfigs);
    }

    private static Map<String, Object> onlyProtocol(String protocol) {
        Map<String, Object> client = new HashMap<>(TlsClientConfigs.trusting(ca, "PKCS12"));
        client.put("ssl.protocol", protocol);
        client.put("ssl.enabled.protocols", protocol);
        return client;
    }
}
