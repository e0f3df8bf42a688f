package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runnel.testkit.EmbeddedBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients other than kafka-clients over SASL_PLAINTEXT: KafkaJS (PLAIN, SCRAM-SHA-256, a wrong password)
 * and kcat/librdkafka (PLAIN). Skipped where the client is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaslClientsIT {

    private static final String TOPIC = "sasl-clients";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path scripts;
    private EmbeddedBroker broker;

    @BeforeAll
    void startBroker() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of(
                "listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"alice-secret\";",
                "listener.name.plaintext.scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.plaintext.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
        Map<String, Object> admin = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"alice-secret\";"));
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            client.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "bob-secret"))).all().get();
        }
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldProduceAndConsumeWithKafkaJsOverPlainAndScram() throws Exception {
        Path kafkajs = kafkaJs();

        assertThat(runKafkaJs(kafkajs, "plain", "alice", "alice-secret")).contains("kafkajs read 3");
        assertThat(runKafkaJs(kafkajs, "scram-sha-256", "bob", "bob-secret")).contains("kafkajs read 3");
    }

    @Test
    void shouldRefuseAKafkaJsWrongPasswordWithAnAuthenticationError() throws Exception {
        Path kafkajs = kafkaJs();

        assertThat(runKafkaJs(kafkajs, "plain", "alice", "wrong")).contains("KafkaJSSASLAuthenticationError");
    }

    /**
     * kcat over PLAIN only: librdkafka before 2.6.1 (this image has 2.0.2) sends a wrong nonce in SCRAM's final
     * message (librdkafka#4895), which Kafka 4.x refuses since the fix of CVE-2024-56128, and Runnel refuses with it.
     */
    @Test
    void shouldProduceAndConsumeWithKcatOverPlain() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")), "kcat is not installed");
        List<String> plain = List.of("-X", "sasl.mechanisms=PLAIN", "-X", "sasl.username=alice", "-X", "sasl.password=alice-secret");

        run(kcat(plain, "-P", "-t", TOPIC), "from-kcat\n");
        String consumed = run(kcat(plain, "-C", "-t", TOPIC, "-o", "beginning", "-e"), "");

        assertThat(consumed).contains("from-kcat");
    }

    private List<String> kcat(List<String> sasl, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kcat", "-b", broker.bootstrapServers(), "-X", "security.protocol=SASL_PLAINTEXT"));
        command.addAll(sasl);
        command.addAll(List.of(args));
        return command;
    }

    private static Path kafkaJs() {
        Path kafkajs = Path.of(System.getProperty("runnel.kafkajs.dir", System.getProperty("user.home") + "/.cache/runnel/kafkajs"),
                "node_modules", "kafkajs");
        assumeTrue(Files.isDirectory(kafkajs), "KafkaJS is not installed in " + kafkajs.getParent());
        return kafkajs;
    }

    private String runKafkaJs(Path kafkajs, String mechanism, String user, String password) throws Exception {
        Path script = scripts.resolve("sasl-roundtrip.js");
        try (InputStream in = SaslClientsIT.class.getResourceAsStream("/js/sasl-roundtrip.js")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder builder = new ProcessBuilder("node", script.toString(), broker.bootstrapServers(), TOPIC, mechanism, user, password);
        builder.environment().put("NODE_PATH", kafkajs.getParent().toString());
        return output(builder.redirectErrorStream(true).start(), "");
    }

    /** Runs a command to its end and returns its output; it must exit 0. */
    private static String run(List<String> command, String stdin) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = output(process, stdin);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static String output(Process process, String stdin) throws IOException, InterruptedException {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the client finished in time").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
