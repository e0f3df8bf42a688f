package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.interbroker.BrokerConnection;
import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client side of broker-to-broker SASL_SSL: TLS first, with the listener's truststore and host name
 * check, then the SASL login with the listener's JAAS credentials, after which the other broker serves
 * requests; a wrong password is refused after a good handshake.
 */
class BrokerSaslSslIT {

    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    @TempDir
    Path tempDir;

    @Test
    void shouldLogInOverTlsAndBeServed() throws Exception {
        TestCertificates ca = TestCertificates.create(tempDir.resolve("ca"), "Runnel Test CA");
        Map<String, String> server = new HashMap<>(ca.issue("broker", "CN=localhost,O=Runnel").keystoreConfigs("PKCS12"));
        server.put("sasl.enabled.mechanisms", "PLAIN");
        server.put("listener.name.sasl_ssl.plain.sasl.jaas.config", PLAIN_MODULE + " required user_broker=\"broker-secret\";");
        TestIdentity node = ca.issue("node", "CN=localhost,O=Runnel");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("broker"), "SASL_SSL", server)) {
            try (BrokerConnection connection = BrokerConnection.open("localhost", broker.port(), "broker-sasl-ssl-it", 5_000, 10_000,
                    interBrokerSaslSsl(ca, node, "broker-secret"))) {
                MetadataResponseData metadata = (MetadataResponseData) connection.send(ApiKeys.METADATA,
                        connection.version(ApiKeys.METADATA, (short) 12), new MetadataRequestData().setTopics(List.of()));
                assertThat(metadata.clusterId()).isNotEmpty();
            }
            assertThatThrownBy(() -> BrokerConnection.open("localhost", broker.port(), "broker-sasl-ssl-it", 5_000, 10_000,
                    interBrokerSaslSsl(ca, node, "wrong")).close())
                    .isInstanceOf(IOException.class).hasMessageContaining("SASL_AUTHENTICATION_FAILED");
        }
    }

    /** What a node of a cluster whose inter-broker listener is SASL_SSL would connect with: the CA's truststore, PLAIN as broker. */
    private static InterBrokerSecurity interBrokerSaslSsl(TestCertificates ca, TestIdentity node, String password) {
        Map<String, String> properties = new HashMap<>(ca.truststoreConfigs("PKCS12"));
        properties.putAll(Map.of(
                "process.roles", "broker,controller",
                "node.id", "1",
                "controller.quorum.voters", "1@localhost:9093",
                "listeners", "SASL_SSL://localhost:9092,CONTROLLER://localhost:9093",
                "controller.listener.names", "CONTROLLER",
                "sasl.enabled.mechanisms", "PLAIN",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name.sasl_ssl.plain.sasl.jaas.config", PLAIN_MODULE + " required username=\"broker\" password=\"" + password + "\";"));
        // the node's own listener needs a keystore to be valid; the client side only uses the truststore
        properties.putAll(node.keystoreConfigs("PKCS12"));
        return InterBrokerSecurity.forInterBrokerListener(BrokerConfig.parse(properties));
    }
}
