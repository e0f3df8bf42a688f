package io.runnel.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runnel.testkit.EmbeddedCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients other than Kafka's Java one on a three-node cluster, with partitions led by every broker:
 * kcat (librdkafka) and KafkaJS produce and read back. Skipped where the client is not installed
 * ({@code .ci/run} installs both).
 */
class ClusterClientsIT {

    private static final int MESSAGES = 300;

    @TempDir
    static Path tempDir;

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, Map.of());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldProduceAndConsumeWithKcat() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")), "kcat is not installed");
        createTopic("kcat-cluster");
        Path input = tempDir.resolve("kcat-input.txt");
        Files.write(input, IntStream.range(0, MESSAGES).mapToObj(i -> "key-" + i + ":value-" + i).toList());

        Process produce = run(List.of("kcat", "-b", cluster.bootstrapServers(), "-P", "-t", "kcat-cluster", "-K:", "-l", input.toString(),
                "-X", "enable.idempotence=true"));
        assertThat(produce.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(produce.exitValue()).as(output(produce)).isZero();

        Process consume = run(List.of("kcat", "-b", cluster.bootstrapServers(), "-C", "-t", "kcat-cluster", "-o", "beginning", "-e", "-q",
                "-f", "%k=%s\\n"));
        assertThat(consume.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> read = output(consume).lines().filter(line -> line.startsWith("key-")).toList();
        assertThat(read).hasSize(MESSAGES).contains("key-0=value-0", "key-299=value-299");
    }

    @Test
    void shouldProduceAndConsumeInAGroupWithKafkaJs() throws Exception {
        Path kafkajs = Path.of(System.getProperty("runnel.kafkajs.dir", System.getProperty("user.home") + "/.cache/runnel/kafkajs"), "node_modules", "kafkajs");
        assumeTrue(Files.isDirectory(kafkajs), "KafkaJS is not installed in " + kafkajs.getParent());
        createTopic("kafkajs-cluster");
        Path script = tempDir.resolve("cluster-roundtrip.js");
        try (var in = ClusterClientsIT.class.getResourceAsStream("/js/cluster-roundtrip.js")) {
            Files.copy(in, script);
        }
        ProcessBuilder builder = new ProcessBuilder("node", script.toString(), cluster.bootstrapServers(), "kafkajs-cluster", Integer.toString(MESSAGES))
                .redirectErrorStream(true);
        builder.environment().put("NODE_PATH", kafkajs.getParent().toString());
        Process node = builder.start();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = output(node);
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("kafkajs read " + MESSAGES + " messages");
    }

    private static void createTopic(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 6, (short) 1))).all().get();
        }
    }

    private static Process run(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
