package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.Broker;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.it.support.Cli;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.KafkaTools;
import io.runnel.it.support.PrintedSettings;
import io.runnel.testkit.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Security" walk-through, step by step: {@code runnel tls dev-certs}; a broker with a
 * mutual TLS listener for the admin and a SASL_SSL (SCRAM-SHA-256) listener for applications, ACLs on;
 * the admin, named by its certificate in {@code super.users}, creates a topic, a SCRAM user and its ACLs
 * with Kafka's own tools; the user produces and reads in its group, and is refused a topic it was not given.
 */
class SecurityWalkthroughIT {

    @TempDir
    Path tempDir;

    @Test
    void shouldSecureABrokerAsTheReadmeShows() throws Exception {
        Path certs = tempDir.resolve("certs");
        Cli.Result made = Cli.run("tls", "dev-certs", "--dir", certs.toString(), "--client", "admin", "--password", "dev-secret");
        assertThat(made.exitCode()).as(made.err()).isZero();
        Map<String, String> brokerTls = PrintedSettings.section(made.outLines(), "# broker");
        Map<String, String> adminTls = PrintedSettings.section(made.outLines(), "# client admin");

        int tlsPort = FreePort.pick();
        int saslPort = FreePort.pick();
        Map<String, String> server = new HashMap<>(brokerTls);
        server.remove("ssl.client.auth");
        server.put("listeners", "SSL://localhost:" + tlsPort + ",SASL_SSL://localhost:" + saslPort);
        server.put("listener.name.ssl.ssl.client.auth", "required");
        server.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
        server.put("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        server.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        server.put("super.users", "User:CN=admin");
        server.put("log.dirs", tempDir.resolve("data").toString());
        server.put("metrics.port", "0");

        try (Broker broker = Broker.start(BrokerConfig.parse(server))) {
            Path adminProperties = properties(tempDir.resolve("admin.properties"), adminTls);
            String admin = "localhost:" + tlsPort;
            KafkaTools tools = new KafkaTools(tempDir, "security-walkthrough");
            int topic = tools.step("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", admin, "--command-config", adminProperties.toString(),
                    "--create", "--topic", "orders", "--partitions", "3");
            int user = tools.step("kafka.admin.ConfigCommand", "--bootstrap-server", admin, "--command-config", adminProperties.toString(),
                    "--alter", "--entity-type", "users", "--entity-name", "alice", "--add-config", "SCRAM-SHA-256=[iterations=8192,password=alice-secret]");
            int write = tools.step("org.apache.kafka.tools.AclCommand", "--bootstrap-server", admin, "--command-config", adminProperties.toString(),
                    "--add", "--allow-principal", "User:alice", "--producer", "--topic", "orders");
            int read = tools.step("org.apache.kafka.tools.AclCommand", "--bootstrap-server", admin, "--command-config", adminProperties.toString(),
                    "--add", "--allow-principal", "User:alice", "--consumer", "--topic", "orders", "--group", "orders-app");
            KafkaTools.Output output = tools.run().assertEveryStepSucceeded();
            assertThat(output.of(topic)).contains("Created topic orders.");
            assertThat(output.of(user)).contains("Completed updating config for user alice.");
            assertThat(String.join("\n", output.of(write))).contains("User:alice");
            assertThat(String.join("\n", output.of(read))).contains("orders-app");

            Map<String, Object> alice = new HashMap<>();
            alice.put("security.protocol", "SASL_SSL");
            alice.put("sasl.mechanism", "SCRAM-SHA-256");
            alice.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"alice-secret\";");
            adminTls.forEach((key, value) -> {
                if (key.startsWith("ssl.truststore.")) {
                    alice.put(key, value);
                }
            });
            String apps = "localhost:" + saslPort;
            try (KafkaProducer<String, String> producer = KafkaClients.producer(apps, alice)) {
                producer.send(new ProducerRecord<>("orders", "order-1", "two coffees")).get();
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "p-1", "not hers")).get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            Map<String, Object> consumer = new HashMap<>(alice);
            consumer.put("group.id", "orders-app");
            consumer.put("auto.offset.reset", "earliest");
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> reader = KafkaClients.consumer(apps, consumer)) {
                reader.subscribe(List.of("orders"));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    reader.poll(Duration.ofMillis(200)).forEach((ConsumerRecord<String, String> record) -> values.add(record.value()));
                    return !values.isEmpty();
                });
                reader.commitSync();
            }
            assertThat(values).containsExactly("two coffees");
        }
    }

    private static Path properties(Path file, Map<String, String> settings) throws Exception {
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return Files.writeString(file, text.toString());
    }
}
