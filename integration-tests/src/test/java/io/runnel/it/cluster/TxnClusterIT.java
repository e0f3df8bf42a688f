package io.runnel.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions on three brokers: markers reach partition leaders on other brokers than the
 * coordinator's, and a transaction whose commit was acknowledged completes after its coordinator's
 * broker stops, by the broker that takes its {@code __transaction_state} partition over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TxnClusterIT {

    private static final int PARTITIONS = 6;

    @TempDir
    static Path tempDir;

    private EmbeddedCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = EmbeddedCluster.start(tempDir, 3, Map.of("runnel.transactions.enable", "true",
                "transaction.state.log.num.partitions", "3", "transaction.state.log.replication.factor", "3",
                "transaction.state.log.min.isr", "2", "offsets.topic.num.partitions", "3"));
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldCommitAndAbortAcrossPartitionsLedByEveryBroker() throws Exception {
        String topic = createTopic("spread");
        try (KafkaProducer<String, String> producer = transactional("spread")) {
            producer.initTransactions();
            send(producer, topic, "committed-", true);
            send(producer, topic, "aborted-", false);
            send(producer, topic, "again-", true);
        }
        List<String> committed = readAll(topic, "read_committed");
        assertThat(committed).hasSize(2 * PARTITIONS).allMatch(value -> value.startsWith("committed-") || value.startsWith("again-"));
        assertThat(readAll(topic, "read_uncommitted")).hasSize(3 * PARTITIONS);
    }

    @Test
    void shouldCompleteAnAcknowledgedCommitAfterItsCoordinatorsBrokerStops() throws Exception {
        String topic = createTopic("coordinator-stops");
        String transactionalId = "coordinator-stops";
        int coordinator;
        try (KafkaProducer<String, String> producer = transactional(transactionalId)) {
            producer.initTransactions();
            try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
                coordinator = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get().coordinatorId();
            }
            send(producer, topic, "before-stop-", true);
            cluster.stop(coordinator);
        }
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(readAll(topic, "read_committed")).hasSize(PARTITIONS));
            // The id is usable again once its new coordinator completed the commit.
            try (KafkaProducer<String, String> producer = transactional(transactionalId)) {
                producer.initTransactions();
                send(producer, topic, "after-stop-", true);
            }
            assertThat(readAll(topic, "read_committed")).hasSize(2 * PARTITIONS);
        } finally {
            cluster.restart(coordinator);
        }
    }

    private String createTopic(String name) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
            TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
            Set<Integer> leaders = description.partitions().stream().map(p -> p.leader().id()).collect(Collectors.toSet());
            assertThat(leaders).as("leaders of %s", name).hasSize(3);
        }
        return name;
    }

    private KafkaProducer<String, String> transactional(String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put("transactional.id", transactionalId);
        config.put("max.block.ms", "60000");
        return KafkaClients.producer(cluster.bootstrapServers(), config);
    }

    /** One record to every partition, in one transaction. */
    private static void send(KafkaProducer<String, String> producer, String topic, String prefix, boolean commit) {
        producer.beginTransaction();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            producer.send(new ProducerRecord<>(topic, partition, "k", prefix + partition));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    private List<String> readAll(String topic, String isolation) {
        List<TopicPartition> assigned = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(cluster.bootstrapServers(), Map.of("isolation.level", isolation))) {
            consumer.assign(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach((ConsumerRecord<String, String> record) -> values.add(record.value()));
                return assigned.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return values;
    }
}
