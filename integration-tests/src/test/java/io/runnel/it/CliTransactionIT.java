package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.Cli;
import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.EmbeddedBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runnel transaction list|describe} against transactions of real producers, and the last stable
 * offset in {@code runnel topic describe}, with {@code runnel.transactions.enable} on.
 */
class CliTransactionIT {

    private static final String TOPIC = "events";
    private static final int TIMEOUT_MS = 600_000;

    @RegisterExtension
    final EmbeddedBrokerExtension runnel = EmbeddedBrokerExtension.withConfig(Map.of("runnel.transactions.enable", "true",
            "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3"));

    private EmbeddedBroker broker;
    private Cli cli;

    @BeforeEach
    void start() {
        broker = runnel.broker();
        cli = Cli.against(broker.bootstrapServers());
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 2);
    }

    @Test
    void shouldListTransactionalIdsWithStateProducerDurationAndPartitionCount() throws Exception {
        try (KafkaProducer<String, String> committed = transactionalProducer("committed");
             KafkaProducer<String, String> idle = transactionalProducer("idle");
             KafkaProducer<String, String> open = transactionalProducer("open")) {
            committed.initTransactions();
            committed.beginTransaction();
            committed.send(new ProducerRecord<>(TOPIC, 0, "k", "v")).get();
            committed.commitTransaction();
            idle.initTransactions();
            beginOnBothPartitions(open);

            // The commit completes after EndTxn's answer, once its markers are written.
            Cli.Result result = await().atMost(Duration.ofSeconds(30))
                    .until(() -> cli.runnel("transaction", "list"), listed -> listed.out().contains("CompleteCommit"));

            assertThat(result.exitCode()).isZero();
            assertThat(result.outLines()).hasSize(4);
            assertThat(result.outLines().get(0)).isEqualTo("TRANSACTIONAL-ID  COORDINATOR  STATE           PRODUCER-ID  EPOCH  DURATION  PARTITIONS");
            assertThat(result.outLines().get(1)).matches("committed +1 +CompleteCommit +\\d+ +1 +- +0");
            assertThat(result.outLines().get(2)).matches("idle +1 +Empty +\\d+ +0 +- +0");
            assertThat(result.outLines().get(3)).matches("open +1 +Ongoing +\\d+ +0 +\\d+(ms|s) +2");
        }
    }

    @Test
    void shouldDescribeAnOpenTransactionWithItsPartitions() throws Exception {
        try (KafkaProducer<String, String> open = transactionalProducer("open")) {
            beginOnBothPartitions(open);

            Cli.Result result = cli.runnel("transaction", "describe", "open");

            assertThat(result.exitCode()).isZero();
            assertThat(result.outLines().get(0)).isEqualTo("Transactional id: open  State: Ongoing  Coordinator: 1");
            assertThat(result.outLines().get(1)).matches("Producer id: \\d+  Epoch: 0  Timeout: 600000 ms");
            assertThat(result.outLines().get(2)).matches("Started: \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z  Duration: \\d+(ms|s)");
            assertThat(result.outLines().subList(3, 6)).containsExactly("TOPIC   PARTITION", "events  0", "events  1");
        }
    }

    @Test
    void shouldDescribeAnInitializedIdWithoutATransactionAndRefuseAnUnknownOne() {
        try (KafkaProducer<String, String> idle = transactionalProducer("idle")) {
            idle.initTransactions();

            Cli.Result described = cli.runnel("transaction", "describe", "idle");
            Cli.Result unknown = cli.runnel("transaction", "describe", "nope");

            assertThat(described.exitCode()).isZero();
            assertThat(described.outLines()).containsExactly("Transactional id: idle  State: Empty  Coordinator: 1",
                    described.outLines().get(1), "Started: -  Duration: -", "Partitions: none");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.errLines()).containsExactly("runnel: Transactional id 'nope' does not exist.");
        }
    }

    @Test
    void shouldShowTheLastStableOffsetOnlyWhileAnOpenTransactionHoldsItBelowTheHighWatermark() throws Exception {
        try (KafkaProducer<String, String> plain = KafkaClients.producer(broker.bootstrapServers());
             KafkaProducer<String, String> open = transactionalProducer("open")) {
            plain.send(new ProducerRecord<>(TOPIC, 0, "k", "before")).get();
            open.initTransactions();
            open.beginTransaction();
            open.send(new ProducerRecord<>(TOPIC, 0, "k", "open")).get();
            plain.send(new ProducerRecord<>(TOPIC, 0, "k", "after")).get();

            Cli.Result held = cli.runnel("topic", "describe", TOPIC);
            open.commitTransaction();
            Cli.Result committed = await().atMost(Duration.ofSeconds(30))
                    .until(() -> cli.runnel("topic", "describe", TOPIC), described -> !described.out().contains("LAST-STABLE-OFFSET"));

            assertThat(held.exitCode()).isZero();
            assertThat(held.outLines().subList(2, 5)).containsExactly(
                    "PARTITION  LEADER  EPOCH  REPLICAS  ISR  ELR  LOG-START-OFFSET  LOG-END-OFFSET  LAST-STABLE-OFFSET  STATE",
                    "0          1       0      1         1    -    0                 3               1                   ok",
                    "1          1       0      1         1    -    0                 0               0                   ok");
            // The commit marker is offset 3: once it is written, the LSO is the high watermark again.
            assertThat(committed.outLines().subList(2, 5)).containsExactly(
                    "PARTITION  LEADER  EPOCH  REPLICAS  ISR  ELR  LOG-START-OFFSET  LOG-END-OFFSET  STATE",
                    "0          1       0      1         1    -    0                 4               ok",
                    "1          1       0      1         1    -    0                 0               ok");
        }
    }

    @Test
    void shouldSayThatABrokerWithoutTransactionsDoesNotServeTheRequest(@TempDir Path dataDir) {
        try (EmbeddedBroker without = EmbeddedBroker.start(dataDir, Map.of("runnel.transactions.enable", "false"))) {
            Cli.Result result = Cli.against(without.bootstrapServers()).runnel("transaction", "list");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errLines()).singleElement().asString().startsWith("runnel: the broker does not support this request: ");
        }
    }

    private static void beginOnBothPartitions(KafkaProducer<String, String> producer) throws Exception {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, 0, "k", "open-0")).get();
        producer.send(new ProducerRecord<>(TOPIC, 1, "k", "open-1")).get();
    }

    private KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        return KafkaClients.producer(broker.bootstrapServers(), Map.of("transactional.id", transactionalId,
                "transaction.timeout.ms", TIMEOUT_MS));
    }
}
