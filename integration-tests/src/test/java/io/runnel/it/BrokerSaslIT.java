package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.interbroker.BrokerConnection;
import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.testkit.EmbeddedBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client side of broker-to-broker SASL against a SASL_PLAINTEXT broker: the inter-broker
 * connection logs in with {@code sasl.mechanism.inter.broker.protocol} and the listener's
 * {@code username}/{@code password} (PLAIN, SCRAM-SHA-512), is refused with a wrong password, and logs
 * in again before the session {@code connections.max.reauth.ms} grants ends, so it keeps being served.
 */
class BrokerSaslIT {

    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final long SESSION_MS = 2_000;

    @TempDir
    Path tempDir;
    private EmbeddedBroker broker;

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedBroker.start(tempDir, Map.of(
                "listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512",
                "listener.name.plaintext.plain.sasl.jaas.config",
                PLAIN_MODULE + " required user_broker=\"broker-secret\" user_admin=\"admin-secret\";",
                "listener.name.plaintext.scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;",
                "connections.max.reauth.ms", Long.toString(SESSION_MS)));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers(), "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config", PLAIN_MODULE + " required username=\"admin\" password=\"admin-secret\";"))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("broker",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "broker-secret"))).all().get();
        }
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldLogInWithPlainAndScramAndBeServed() throws Exception {
        for (String mechanism : List.of("PLAIN", "SCRAM-SHA-512")) {
            try (BrokerConnection connection = open(interBrokerSasl(mechanism, "broker-secret"))) {
                assertThat(metadata(connection).clusterId()).as(mechanism).isNotEmpty();
            }
        }
    }

    @Test
    void shouldBeRefusedWithAWrongPassword() {
        assertThatThrownBy(() -> open(interBrokerSasl("PLAIN", "wrong")).close())
                .isInstanceOf(IOException.class).hasMessageContaining("SASL_AUTHENTICATION_FAILED");
        assertThatThrownBy(() -> open(interBrokerSasl("SCRAM-SHA-512", "wrong")).close())
                .isInstanceOf(IOException.class).hasMessageContaining("SASL_AUTHENTICATION_FAILED");
    }

    @Test
    void shouldLogInAgainBeforeItsSessionEnds() throws Exception {
        try (BrokerConnection connection = open(interBrokerSasl("SCRAM-SHA-512", "broker-secret"))) {
            long end = System.nanoTime() + Duration.ofMillis(3 * SESSION_MS).toNanos();
            // the broker closes a connection whose session has ended at its next request, so being served throughout means it logged in again
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !metadata(connection).clusterId().isEmpty() && System.nanoTime() - end > 0);
        }
    }

    private BrokerConnection open(InterBrokerSecurity tls) throws IOException {
        return BrokerConnection.open("localhost", broker.port(), "broker-sasl-it", 5_000, 10_000, tls);
    }

    private static MetadataResponseData metadata(BrokerConnection connection) throws IOException {
        return (MetadataResponseData) connection.send(ApiKeys.METADATA, connection.version(ApiKeys.METADATA, (short) 12),
                new MetadataRequestData().setTopics(List.of()));
    }

    /** What a node of a cluster whose inter-broker listener is this SASL_PLAINTEXT one would log in with. */
    private static InterBrokerSecurity interBrokerSasl(String mechanism, String password) {
        String module = "PLAIN".equals(mechanism) ? PLAIN_MODULE : SCRAM_MODULE;
        Map<String, String> properties = new HashMap<>(Map.of(
                "process.roles", "broker,controller",
                "node.id", "1",
                "controller.quorum.voters", "1@localhost:9093",
                "listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "controller.listener.names", "CONTROLLER",
                "listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms", mechanism,
                "sasl.mechanism.inter.broker.protocol", mechanism));
        properties.put("listener.name.plaintext." + mechanism.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                module + " required username=\"broker\" password=\"" + password + "\";");
        return InterBrokerSecurity.forInterBrokerListener(BrokerConfig.parse(properties));
    }
}
