package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TlsClientConfigs;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedCluster;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brokers that talk to each other over mutual TLS: the inter-broker listener is SSL with
 * {@code ssl.client.auth=required} and https endpoint identification, so followers fetching from leaders
 * (acks=all waits on them) and transaction markers sent to other leaders only work if the brokers'
 * own connections present and check certificates.
 */
class TlsClusterIT {

    private static final int RECORDS = 200;

    @TempDir
    static Path tempDir;
    private static TestCertificates ca;
    private static TestIdentity client;
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void startCluster() {
        ca = TestCertificates.create(tempDir.resolve("ca"), "Runnel Test CA");
        TestIdentity brokers = ca.issue("broker", "CN=localhost,O=Runnel");
        client = ca.issue("client", "CN=client,O=Runnel");
        Map<String, String> overrides = new HashMap<>(brokers.keystoreConfigs("PKCS12"));
        overrides.putAll(ca.truststoreConfigs("PKCS12"));
        overrides.put("ssl.client.auth", "required");
        overrides.put("listener.security.protocol.map", "PLAINTEXT:SSL,CONTROLLER:PLAINTEXT");
        cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, overrides);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static Map<String, Object> clientConfigs() {
        return TlsClientConfigs.mutual(ca, "PKCS12", client, "PKCS12");
    }

    @Test
    void shouldReplicateOverTlsBetweenBrokers() throws Exception {
        createTopic("replicated", 3);
        Map<String, Object> producerConfigs = new HashMap<>(clientConfigs());
        producerConfigs.put("acks", "all");
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), producerConfigs)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>("replicated", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        assertThat(TopicReader.readAll(cluster.bootstrapServers(), "replicated", clientConfigs())).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, RECORDS).mapToObj(i -> "v" + i).toList());
    }

    @Test
    void shouldCommitTransactionsWhoseMarkersCrossTls() throws Exception {
        createTopic("transactional", 1);
        Map<String, Object> producerConfigs = new HashMap<>(clientConfigs());
        producerConfigs.put("transactional.id", "tls-txn");
        KafkaClients.commitTransaction(cluster.bootstrapServers(), producerConfigs, "transactional", RECORDS);
        Map<String, Object> readCommitted = new HashMap<>(clientConfigs());
        readCommitted.put("isolation.level", "read_committed");

        assertThat(TopicReader.readAll(cluster.bootstrapServers(), "transactional", readCommitted)).hasSize(RECORDS);
    }

    private static void createTopic(String name, int replicationFactor) throws Exception {
        Map<String, Object> adminConfigs = new HashMap<>(clientConfigs());
        adminConfigs.put("bootstrap.servers", cluster.bootstrapServers());
        try (Admin admin = Admin.create(adminConfigs)) {
            admin.createTopics(List.of(new NewTopic(name, 6, (short) replicationFactor)
                    .configs(Map.of("min.insync.replicas", String.valueOf(Math.min(2, replicationFactor)))))).all().get(30, TimeUnit.SECONDS);
        }
    }
}
