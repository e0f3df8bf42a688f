package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.interbroker.BrokerConnection;
import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client side of broker-to-broker TLS against a broker whose certificate names another host:
 * {@code ssl.endpoint.identification.algorithm} (https by default) refuses it, as in Kafka; empty turns
 * the check off.
 */
class BrokerTlsIT {

    @TempDir
    static Path certificates;
    private static TestCertificates ca;
    private static TestIdentity elsewhere;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void issueCertificates() {
        ca = TestCertificates.create(certificates.resolve("ca"), "Runnel Test CA");
        elsewhere = ca.issue("elsewhere", "CN=broker.elsewhere.example,O=Runnel", "dns:broker.elsewhere.example");
    }

    /** What another broker's inter-broker listener would be configured with: the same CA, its own keystore. */
    private static InterBrokerSecurity interBrokerTls(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(elsewhere.keystoreConfigs("PKCS12"));
        properties.putAll(ca.truststoreConfigs("PKCS12"));
        properties.put("listeners", "SSL://localhost:0");
        properties.putAll(extra);
        return InterBrokerSecurity.forInterBrokerListener(BrokerConfig.parse(properties));
    }

    @Test
    void shouldRefuseABrokerWhoseCertificateNamesAnotherHostAndAcceptItWithoutEndpointIdentification() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", elsewhere.keystoreConfigs("PKCS12"))) {
            assertThatThrownBy(() -> BrokerConnection.open("localhost", broker.port(), "test", 5_000, 10_000, interBrokerTls(Map.of())).close())
                    .isInstanceOf(SSLHandshakeException.class);

            try (BrokerConnection connection = BrokerConnection.open("localhost", broker.port(), "test", 5_000, 10_000,
                    interBrokerTls(Map.of("ssl.endpoint.identification.algorithm", "")))) {
                assertThat(connection.version(ApiKeys.FETCH, (short) 17)).isPositive();
            }
        }
    }
}
