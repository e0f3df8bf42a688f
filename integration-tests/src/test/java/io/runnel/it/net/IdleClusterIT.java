package io.runnel.it.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with a short {@code connections.max.idle.ms} keeps working: the controller's watches of broker
 * listeners, the transaction markers' and replicas' connections between brokers are closed when idle and
 * opened again, and no broker is taken for dead.
 */
class IdleClusterIT {

    private static final int PARTITIONS = 3;

    @TempDir
    Path tempDir;

    @Test
    void shouldKeepReplicatingAndCommittingTransactionsAcrossIdleCloses() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(tempDir, 3, Map.of("connections.max.idle.ms", "1500",
                "runnel.transactions.enable", "true", "transaction.state.log.num.partitions", "1",
                "transaction.state.log.replication.factor", "3", "transaction.state.log.min.isr", "2", "offsets.topic.num.partitions", "1"));
             Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("idle", PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
            try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(),
                    Map.of("transactional.id", "idle", "max.block.ms", "60000"))) {
                producer.initTransactions();
                commit(producer, "first-");

                // Every connection the producer had was closed as idle: the markers' connections, idle as long, were too.
                await().atMost(Duration.ofSeconds(30)).until(() -> IdleConnectionsIT.metric(producer, "connection-close-total") >= 2);

                commit(producer, "second-");
            }
            assertThat(TopicReader.readAll(cluster.bootstrapServers(), "idle", Map.of("isolation.level", "read_committed"))).hasSize(2 * PARTITIONS);
            assertThat(admin.describeCluster().nodes().get()).hasSize(3);
            assertThat(admin.describeTopics(List.of("idle")).allTopicNames().get().get("idle").partitions())
                    .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3));
        }
    }

    private static void commit(KafkaProducer<String, String> producer, String prefix) {
        producer.beginTransaction();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            producer.send(new ProducerRecord<>("idle", partition, "k", prefix + partition));
        }
        producer.commitTransaction();
    }
}
