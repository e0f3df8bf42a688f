package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TargetBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions from clients other than Kafka's Java one, which speak the first transaction protocol:
 * KafkaJS and librdkafka (Debian's {@code python3-confluent-kafka}) commit, abort and commit again, and
 * their own read_committed consumers see exactly the committed messages. Skipped where a client is
 * not installed (CI installs both). Also passes against Apache Kafka 4.3.1 ({@link TargetBroker}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTransactionsIT {

    private static final String EXPECTED = "again-0,again-1,again-2,committed-0,committed-1,committed-2";
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    static Path dataDir;

    @TempDir
    static Path scripts;

    private TargetBroker broker;

    @BeforeAll
    void startBroker() {
        broker = TargetBroker.start(dataDir, Map.of("runnel.transactions.enable", "true",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3"));
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldCommitAndAbortWithKafkaJs() throws Exception {
        Path kafkajs = Path.of(System.getProperty("runnel.kafkajs.dir", System.getProperty("user.home") + "/.cache/runnel/kafkajs"),
                "node_modules", "kafkajs");
        assumeTrue(Files.isDirectory(kafkajs), "KafkaJS is not installed in " + kafkajs.getParent());
        String topic = topic("kafkajs-txn");
        ProcessBuilder builder = new ProcessBuilder("node", script("/js/transactions.js").toString(), broker.bootstrapServers(), topic,
                TargetBroker.unique("kafkajs-txn"));
        builder.environment().put("NODE_PATH", kafkajs.getParent().toString());

        assertThat(run(builder)).contains("kafkajs read " + EXPECTED);
    }

    @Test
    void shouldCommitAndAbortWithLibrdkafka() throws Exception {
        assumeTrue(hasConfluentKafka(), "python3-confluent-kafka is not installed");
        String topic = topic("librdkafka-txn");
        ProcessBuilder builder = new ProcessBuilder(DEBIAN_PYTHON.toString(), script("/python/transactions.py").toString(),
                broker.bootstrapServers(), topic, TargetBroker.unique("librdkafka-txn"));

        assertThat(run(builder)).contains("librdkafka read " + EXPECTED);
    }

    private String topic(String name) {
        String topic = TargetBroker.unique(name);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 3);
        return topic;
    }

    private static Path script(String resource) throws IOException {
        Path script = scripts.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = ClientTransactionsIT.class.getResourceAsStream(resource)) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

    /** Runs a client to its end and returns what it printed; it must exit 0. */
    private static String run(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the client finished in time").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static boolean hasConfluentKafka() throws Exception {
        if (!Files.isExecutable(DEBIAN_PYTHON)) {
            return false;
        }
        Process probe = new ProcessBuilder(List.of(DEBIAN_PYTHON.toString(), "-c", "import confluent_kafka")).redirectErrorStream(true).start();
        return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }
}
