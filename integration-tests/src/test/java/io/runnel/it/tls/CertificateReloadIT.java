package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.TlsClientConfigs;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keystore reload without restart, as Kafka does it: {@code kafka-configs --entity-type brokers --entity-name 1
 * --alter --add-config listener.name.ssl.ssl.keystore.location=...} (IncrementalAlterConfigs on the broker)
 * makes new connections present the new certificate; a keystore that does not load or names another
 * subject (without {@code ssl.allow.dn.changes}) is refused with INVALID_REQUEST and the old certificate keeps serving; setting the same path
 * again reloads a file rewritten in place.
 */
class CertificateReloadIT {

    private static final ConfigResource BROKER_1 = new ConfigResource(ConfigResource.Type.BROKER, "1");

    @TempDir
    static Path certificates;
    private static TestCertificates oldCa;
    private static TestCertificates newCa;
    private static TestIdentity oldBroker;
    private static TestIdentity newBroker;
    private static TestIdentity otherSubject;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void issueCertificates() {
        oldCa = TestCertificates.create(certificates.resolve("old-ca"), "Runnel Old CA");
        newCa = TestCertificates.create(certificates.resolve("new-ca"), "Runnel New CA");
        oldBroker = oldCa.issue("broker-old", "CN=localhost,O=Runnel");
        newBroker = newCa.issue("broker-new", "CN=localhost,O=Runnel");
        otherSubject = oldCa.issue("broker-other", "CN=elsewhere,O=Runnel");
    }

    @Test
    void shouldServeTheNewCertificateToNewConnectionsAfterTheKeystoreIsAltered() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", movingToAnotherCa(oldBroker.keystoreConfigs("PKCS12")));
             Admin oldTrust = admin(broker, oldCa)) {
            assertThat(servesClientsOf(broker, newCa)).isFalse();

            alter(oldTrust, "listener.name.ssl.ssl.keystore.location", newBroker.keystore("PKCS12").toString());

            await().atMost(Duration.ofSeconds(20)).until(() -> servesClientsOf(broker, newCa));
            // The connection made before the change keeps its session.
            assertThat(oldTrust.describeCluster().nodes().get()).hasSize(1);
            assertThat(servesClientsOf(broker, oldCa)).isFalse();
        }
    }

    @Test
    void shouldServeTheNewCertificateFromOpenSslAfterTheKeystoreIsAltered() throws Exception {
        Map<String, String> configs = movingToAnotherCa(oldBroker.keystoreConfigs("PKCS12"));
        configs.put("runnel.ssl.provider", "openssl");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", configs);
             Admin oldTrust = admin(broker, oldCa)) {
            assertThat(servesClientsOf(broker, oldCa)).isTrue();

            alter(oldTrust, "listener.name.ssl.ssl.keystore.location", newBroker.keystore("PKCS12").toString());

            await().atMost(Duration.ofSeconds(20)).until(() -> servesClientsOf(broker, newCa));
            assertThat(servesClientsOf(broker, oldCa)).isFalse();
        }
    }

    @Test
    void shouldRefuseAKeystoreThatCannotServeAndKeepTheOldCertificate() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", oldBroker.keystoreConfigs("PKCS12"));
             Admin admin = admin(broker, oldCa)) {
            assertRefused(admin, BROKER_1, "listener.name.ssl.ssl.keystore.location", otherSubject.keystore("PKCS12").toString(),
                    "DistinguishedName does not match");
            assertRefused(admin, BROKER_1, "listener.name.ssl.ssl.keystore.location", tempDir.resolve("missing.p12").toString(), "listener SSL");
            assertRefused(admin, BROKER_1, "ssl.keystore.location", newBroker.keystore("PKCS12").toString(), "only per-listener");
            assertRefused(admin, new ConfigResource(ConfigResource.Type.BROKER, ""), "listener.name.ssl.ssl.keystore.location",
                    newBroker.keystore("PKCS12").toString(), "broker id must be specified");

            assertThat(servesClientsOf(broker, oldCa)).isTrue();
            assertThat(servesClientsOf(broker, newCa)).isFalse();
        }
    }

    @Test
    void shouldReloadAKeystoreRewrittenAtTheSamePathWhenItIsSetAgain() throws Exception {
        Path keystore = tempDir.resolve("broker.p12");
        Files.copy(oldBroker.keystore("PKCS12"), keystore);
        Map<String, String> configs = movingToAnotherCa(oldBroker.keystoreConfigs("PKCS12"));
        configs.put("ssl.keystore.location", keystore.toString());
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), "SSL", configs);
             Admin admin = admin(broker, oldCa)) {
            alter(admin, "listener.name.ssl.ssl.keystore.location", keystore.toString());
            Files.copy(newBroker.keystore("PKCS12"), keystore, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(keystore, FileTime.from(Instant.now().plusSeconds(60)));
            assertThat(servesClientsOf(broker, newCa)).as("before the file is set again").isFalse();

            alter(admin, "listener.name.ssl.ssl.keystore.location", keystore.toString());

            await().atMost(Duration.ofSeconds(20)).until(() -> servesClientsOf(broker, newCa));
        }
    }

    /**
     * The keystores hold their CA's certificate beside the broker's, and Kafka compares every entry's subject:
     * a move to another CA needs {@code ssl.allow.dn.changes}.
     */
    private static Map<String, String> movingToAnotherCa(Map<String, String> keystoreConfigs) {
        Map<String, String> configs = new HashMap<>(keystoreConfigs);
        configs.put("ssl.allow.dn.changes", "true");
        return configs;
    }

    private static Admin admin(EmbeddedBroker broker, TestCertificates trusted) {
        Map<String, Object> configs = new HashMap<>(TlsClientConfigs.trusting(trusted, "PKCS12"));
        configs.put("bootstrap.servers", broker.bootstrapServers());
        configs.put("default.api.timeout.ms", 3000);
        configs.put("request.timeout.ms", 2000);
        return Admin.create(configs);
    }

    /** Whether a new client trusting only {@code trusted} gets an answer from the broker. */
    private static boolean servesClientsOf(EmbeddedBroker broker, TestCertificates trusted) {
        try (Admin admin = admin(broker, trusted)) {
            return !admin.describeCluster().nodes().get().isEmpty();
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void alter(Admin admin, String key, String value) throws Exception {
        admin.incrementalAlterConfigs(Map.of(BROKER_1, List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)))).all().get();
    }

    private static void assertRefused(Admin admin, ConfigResource resource, String key, String value, String reason) {
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource,
                List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)))).all().get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidRequestException.class).hasMessageContaining(reason);
    }
}
