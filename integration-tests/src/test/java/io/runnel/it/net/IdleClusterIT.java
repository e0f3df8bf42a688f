package io.runnel.it.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TlsClientConfigs;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedCluster;
import io.runnel.testkit.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with a short {@code connections.max.idle.ms} keeps working, over PLAINTEXT and over mutual TLS: the controller's watches of broker
 * listeners, the transaction markers' and replicas' connections between brokers are closed when idle and
 * opened again, and no broker is taken for dead.
 */
class IdleClusterIT {

    private static final int PARTITIONS = 3;

    @TempDir
    Path tempDir;

    @Test
    void shouldKeepReplicatingAndCommittingTransactionsAcrossIdleCloses() throws Exception {
        assertClusterWorksAcrossIdleCloses(Map.of(), Map.of());
    }

    @Test
    void shouldKeepBrokersTalkingOverTlsAcrossIdleCloses() throws Exception {
        TestCertificates ca = TestCertificates.create(tempDir.resolve("ca"), "Runnel Test CA");
        Map<String, String> tls = new HashMap<>(ca.issue("broker", "CN=localhost,O=Runnel").keystoreConfigs("PKCS12"));
        tls.putAll(ca.truststoreConfigs("PKCS12"));
        tls.put("ssl.client.auth", "required");
        tls.put("listener.security.protocol.map", "PLAINTEXT:SSL,CONTROLLER:PLAINTEXT");
        assertClusterWorksAcrossIdleCloses(tls, TlsClientConfigs.mutual(ca, "PKCS12", ca.issue("client", "CN=client,O=Runnel"), "PKCS12"));
    }

    private void assertClusterWorksAcrossIdleCloses(Map<String, String> security, Map<String, Object> clientConfigs) throws Exception {
        Map<String, String> overrides = new HashMap<>(security);
        overrides.putAll(Map.of("connections.max.idle.ms", "1500", "runnel.transactions.enable", "true", "transaction.state.log.num.partitions", "1",
                "transaction.state.log.replication.factor", "3", "transaction.state.log.min.isr", "2", "offsets.topic.num.partitions", "1"));
        Map<String, Object> adminConfigs = new HashMap<>(clientConfigs);
        Map<String, Object> producerConfigs = new HashMap<>(clientConfigs);
        producerConfigs.putAll(Map.of("transactional.id", "idle", "max.block.ms", "60000"));
        Map<String, Object> readCommitted = new HashMap<>(clientConfigs);
        readCommitted.put("isolation.level", "read_committed");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, overrides);
             Admin admin = admin(cluster, adminConfigs)) {
            admin.createTopics(List.of(new NewTopic("idle", PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
            try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), producerConfigs)) {
                producer.initTransactions();
                commit(producer, "first-");

                // Every connection the producer had was closed as idle: the markers' connections, idle as long, were too.
                await().atMost(Duration.ofSeconds(30)).until(() -> IdleConnectionsIT.metric(producer, "connection-close-total") >= 2);

                commit(producer, "second-");
            }
            assertThat(TopicReader.readAll(cluster.bootstrapServers(), "idle", readCommitted)).hasSize(2 * PARTITIONS);
            assertThat(admin.describeCluster().nodes().get()).hasSize(3);
            assertThat(admin.describeTopics(List.of("idle")).allTopicNames().get().get("idle").partitions())
                    .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3));
        }
    }

    private static Admin admin(EmbeddedCluster cluster, Map<String, Object> clientConfigs) {
        Map<String, Object> configs = new HashMap<>(clientConfigs);
        configs.put("bootstrap.servers", cluster.bootstrapServers());
        return Admin.create(configs);
    }

    private static void commit(KafkaProducer<String, String> producer, String prefix) {
        producer.beginTransaction();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            producer.send(new ProducerRecord<>("idle", partition, "k", prefix + partition));
        }
        producer.commitTransaction();
    }
}
