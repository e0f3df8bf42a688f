package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brokers that log in to each other with SASL on a SASL_PLAINTEXT inter-broker listener
 * ({@code sasl.mechanism.inter.broker.protocol}, the broker's own {@code username}/{@code password} in the
 * listener's JAAS line), with the StandardAuthorizer on and nobody allowed what no ACL grants: followers
 * fetch (CLUSTER_ACTION) and transaction markers reach other leaders only as {@code User:broker}, a super
 * user, so acks=all and committed transactions show that the brokers logged in as themselves.
 */
class SaslClusterIT {

    private static final int RECORDS = 200;
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    @TempDir
    Path tempDir;
    private EmbeddedCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldReplicateAndCommitTransactionsBetweenBrokersLoggedInWithPlain() throws Exception {
        cluster = EmbeddedCluster.start(tempDir, 3, settings("PLAIN", Map.of("listener.name.plaintext.plain.sasl.jaas.config",
                PLAIN_MODULE + " required username=\"broker\" password=\"broker-secret\" user_broker=\"broker-secret\" user_admin=\"admin-secret\";")));

        createTopic("replicated");
        assertReplicatesWithAcksAll("replicated");
        assertCommitsATransaction();
    }

    @Test
    void shouldReplicateBetweenBrokersLoggedInWithScramOnceTheirCredentialIsInTheMetadataLog() throws Exception {
        cluster = EmbeddedCluster.start(tempDir, 3, settings("SCRAM-SHA-256", Map.of(
                "listener.name.plaintext.plain.sasl.jaas.config", PLAIN_MODULE + " required user_admin=\"admin-secret\";",
                "listener.name.plaintext.scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " required username=\"broker\" password=\"broker-secret\";")));
        // followers of this topic cannot log in to its leaders yet: they retry until the credential below exists
        createTopic("replicated");
        try (Admin admin = Admin.create(adminConfigs())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("broker",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "broker-secret"))).all().get(30, TimeUnit.SECONDS);
        }

        assertReplicatesWithAcksAll("replicated");
    }

    private static Map<String, String> settings(String interBrokerMechanism, Map<String, String> jaas) {
        Map<String, String> settings = new HashMap<>(jaas);
        settings.put("listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.put("sasl.enabled.mechanisms", "PLAIN".equals(interBrokerMechanism) ? "PLAIN" : "PLAIN," + interBrokerMechanism);
        settings.put("sasl.mechanism.inter.broker.protocol", interBrokerMechanism);
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", "User:broker;User:admin");
        return settings;
    }

    private void assertReplicatesWithAcksAll(String topic) throws Exception {
        Map<String, Object> producerConfigs = clientConfigs();
        producerConfigs.put("acks", "all");
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), producerConfigs)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(TopicReader.readAll(cluster.bootstrapServers(), topic, clientConfigs())).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, RECORDS).mapToObj(i -> "v" + i).toList());
    }

    private void assertCommitsATransaction() throws Exception {
        createTopic("transactional");
        Map<String, Object> producerConfigs = clientConfigs();
        producerConfigs.put("transactional.id", "sasl-txn");
        KafkaClients.commitTransaction(cluster.bootstrapServers(), producerConfigs, "transactional", RECORDS);
        Map<String, Object> readCommitted = clientConfigs();
        readCommitted.put("isolation.level", "read_committed");
        assertThat(TopicReader.readAll(cluster.bootstrapServers(), "transactional", readCommitted)).hasSize(RECORDS);
    }

    private void createTopic(String name) throws Exception {
        try (Admin admin = Admin.create(adminConfigs())) {
            admin.createTopics(List.of(new NewTopic(name, 6, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private Map<String, Object> adminConfigs() {
        Map<String, Object> configs = clientConfigs();
        configs.put("bootstrap.servers", cluster.bootstrapServers());
        return configs;
    }

    /** The admin, a super user, logs in with PLAIN. */
    private static Map<String, Object> clientConfigs() {
        Map<String, Object> configs = new HashMap<>();
        configs.put("security.protocol", "SASL_PLAINTEXT");
        configs.put("sasl.mechanism", "PLAIN");
        configs.put("sasl.jaas.config", PLAIN_MODULE + " required username=\"admin\" password=\"admin-secret\";");
        return configs;
    }
}
