package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.KafkaTools;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 with credentials kept in the metadata log: set, described, used,
 * deleted through kafka-clients' Admin (AlterUserScramCredentials, DescribeUserScramCredentials), and still
 * there after a restart. An admin logs in with PLAIN to manage them.
 */
class SaslScramIT {

    private static final String TOPIC = "scram";

    @TempDir
    Path dataDir;
    @TempDir
    Path toolsDir;
    private EmbeddedBroker broker;

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of(
                "listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_admin=\"admin-secret\";",
                "listener.name.plaintext.scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.plaintext.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldLogInWithCredentialsSetThroughTheAdminApiAndKeepThemAcrossARestart() throws Exception {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), "alice-secret"),
                    new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "bob-secret"))).all().get();
        }
        produce("SCRAM-SHA-256", "alice", "alice-secret");
        produce("SCRAM-SHA-512", "bob", "bob-secret");

        broker.restart();

        produce("SCRAM-SHA-256", "alice", "alice-secret");
        try (Admin admin = admin()) {
            Map<String, UserScramCredentialsDescription> described = admin.describeUserScramCredentials().all().get();
            assertThat(described).containsOnlyKeys("alice", "bob");
            assertThat(described.get("alice").credentialInfos()).singleElement()
                    .satisfies(info -> assertThat(info.mechanism()).isEqualTo(ScramMechanism.SCRAM_SHA_256))
                    .satisfies(info -> assertThat(info.iterations()).isEqualTo(8192));
        }
    }

    @Test
    void shouldRefuseAWrongPasswordAnUnknownUserAndADeletedCredential() throws Exception {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "alice-secret"))).all().get();
        }
        assertLoginRefused("SCRAM-SHA-256", "alice", "wrong");
        assertLoginRefused("SCRAM-SHA-256", "nobody", "alice-secret");
        assertLoginRefused("SCRAM-SHA-512", "alice", "alice-secret");

        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("alice", ScramMechanism.SCRAM_SHA_256))).all().get();
        }

        assertLoginRefused("SCRAM-SHA-256", "alice", "alice-secret");
        produce("PLAIN", "admin", "admin-secret");
    }

    @Test
    void shouldRefuseTooFewIterationsAndDescribingAnUnknownUserWithKafkasErrors() throws Exception {
        try (Admin admin = admin()) {
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 1000), "x"))).all().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UnacceptableCredentialException.class).hasMessageContaining("Too few iterations");
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_256))).all().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("does not exist");
            assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("carol")).description("carol").get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining("Attempt to describe a user credential that does not exist: carol");
        }
    }

    @Test
    void shouldSetACredentialWithKafkaConfigsAddConfig() throws Exception {
        Path adminConfig = toolsDir.resolve("admin.properties");
        Files.writeString(adminConfig, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"admin-secret\";\n");
        KafkaTools tools = new KafkaTools(toolsDir, "scram-kafka-configs");
        tools.step("kafka.admin.ConfigCommand", "--bootstrap-server", broker.bootstrapServers(), "--command-config", adminConfig.toString(),
                "--entity-type", "users", "--entity-name", "alice", "--alter", "--add-config", "SCRAM-SHA-256=[iterations=8192,password=alice-secret]");

        tools.run().assertEveryStepSucceeded();

        produce("SCRAM-SHA-256", "alice", "alice-secret");
        try (Admin admin = admin()) {
            assertThat(admin.describeUserScramCredentials(List.of("alice")).description("alice").get().credentialInfos())
                    .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192));
        }
    }

    private void produce(String mechanism, String user, String password) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), client(mechanism, user, password))) {
            producer.send(new ProducerRecord<>(TOPIC, user, mechanism)).get();
        }
    }

    private void assertLoginRefused(String mechanism, String user, String password) {
        try (Admin admin = Admin.create(client(mechanism, user, password))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Authentication failed during authentication due to invalid credentials with SASL mechanism " + mechanism);
        }
    }

    private Admin admin() {
        return Admin.create(client("PLAIN", "admin", "admin-secret"));
    }

    private Map<String, Object> client(String mechanism, String user, String password) {
        String module = "PLAIN".equals(mechanism) ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", mechanism);
        config.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return config;
    }
}
