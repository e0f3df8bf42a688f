package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TlsClientConfigs;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSL listeners through real kafka-clients: produce, fetch (the segment bytes go through TLS as
 * buffers, not file regions) and admin, with the stores in each format Kafka reads.
 */
class TlsListenerIT {

    /** Values of 2 KiB: 400 records make a fetch of many TLS records, several chunks of a segment. */
    private static final String VALUE = "v".repeat(2048);
    private static final int RECORDS = 400;

    @TempDir
    static Path certificates;
    private static TestCertificates ca;
    private static TestIdentity brokerIdentity;
    private static TestIdentity alice;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void issueCertificates() {
        ca = TestCertificates.create(certificates.resolve("ca"), "Runnel Test CA");
        brokerIdentity = ca.issue("broker", "CN=localhost,O=Runnel");
        alice = ca.issue("alice", "CN=alice,O=Runnel");
    }

    @Test
    void shouldProduceAndConsumeOverTlsWithPkcs12Stores() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", brokerIdentity.keystoreConfigs("PKCS12"))) {
            assertRoundTrip(broker, TlsClientConfigs.trusting(ca, "PKCS12"));
        }
    }

    @Test
    void shouldServeMutualTlsWithJksStoresGivenForTheListenerOnly() throws Exception {
        Map<String, String> brokerConfigs = new HashMap<>();
        brokerIdentity.keystoreConfigs("JKS").forEach((key, value) -> brokerConfigs.put("listener.name.ssl." + key, value));
        ca.truststoreConfigs("JKS").forEach((key, value) -> brokerConfigs.put("listener.name.ssl." + key, value));
        brokerConfigs.put("listener.name.ssl.ssl.client.auth", "required");
        // The unprefixed keys lose to the listener's own.
        brokerConfigs.put("ssl.keystore.location", tempDir.resolve("no-such-keystore.jks").toString());
        brokerConfigs.put("ssl.keystore.password", "wrong");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), "SSL", brokerConfigs)) {
            assertRoundTrip(broker, TlsClientConfigs.mutual(ca, "JKS", alice, "JKS"));
        }
    }

    @Test
    void shouldServeAPemCertificateChainAndKeyGivenInline() throws Exception {
        Map<String, String> brokerConfigs = new HashMap<>(brokerIdentity.keystoreConfigs("PEM"));
        brokerConfigs.putAll(ca.truststoreConfigs("PEM"));
        brokerConfigs.put("ssl.client.auth", "requested");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", brokerConfigs)) {
            assertRoundTrip(broker, TlsClientConfigs.mutual(ca, "PEM", alice, "PEM"));
            assertRoundTrip(broker, TlsClientConfigs.trusting(ca, "PEM"), "without-certificate");
        }
    }

    @Test
    void shouldServeOnlyTheEnabledProtocols() throws Exception {
        Map<String, String> brokerConfigs = new HashMap<>(brokerIdentity.keystoreConfigs("PKCS12"));
        brokerConfigs.put("ssl.enabled.protocols", "TLSv1.2");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", brokerConfigs)) {
            Map<String, Object> tls13Only = new HashMap<>(TlsClientConfigs.trusting(ca, "PKCS12"));
            tls13Only.put("ssl.enabled.protocols", "TLSv1.3");
            assertThatThrownBy(() -> clusterId(broker, tls13Only)).hasCauseInstanceOf(SslAuthenticationException.class);

            Map<String, Object> tls12 = new HashMap<>(TlsClientConfigs.trusting(ca, "PKCS12"));
            tls12.put("ssl.protocol", "TLSv1.2");
            tls12.put("ssl.enabled.protocols", "TLSv1.2");
            assertThat(clusterId(broker, tls12)).isNotBlank();
        }
    }

    @Test
    void shouldDescribeKeystorePasswordsAsSensitiveWithoutTheirValues() throws Exception {
        Map<String, Object> client = new HashMap<>(TlsClientConfigs.trusting(ca, "PKCS12"));
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, "SSL", brokerIdentity.keystoreConfigs("PKCS12"))) {
            client.put("bootstrap.servers", broker.bootstrapServers());
            ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "1");
            try (Admin admin = Admin.create(client)) {
                Config config = admin.describeConfigs(List.of(brokerResource),
                        new DescribeConfigsOptions().includeSynonyms(true)).all().get(20, TimeUnit.SECONDS).get(brokerResource);

                ConfigEntry password = config.get("ssl.keystore.password");
                assertThat(password.isSensitive()).isTrue();
                assertThat(password.value()).isNull();
                assertThat(password.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
                assertThat(password.synonyms()).extracting(ConfigEntry.ConfigSynonym::value).containsOnlyNulls();
                assertThat(config.get("ssl.keystore.location").value()).isEqualTo(brokerIdentity.keystore("PKCS12").toString());
            }
        }
    }

    private static void assertRoundTrip(EmbeddedBroker broker, Map<String, Object> client) throws Exception {
        assertRoundTrip(broker, client, "orders");
    }

    /** Produces 400 records of 2 KiB to {@code topic} and reads them all back, as {@code client}. */
    static void assertRoundTrip(EmbeddedBroker broker, Map<String, Object> client, String topic) throws Exception {
        assertThat(clusterId(broker, client)).isNotBlank();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), client)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, i + VALUE));
            }
            producer.flush();
        }

        List<ConsumerRecord<String, String>> read = TopicReader.readAll(broker.bootstrapServers(), topic, client);

        assertThat(read).extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(IntStream.range(0, RECORDS).mapToObj(i -> i + VALUE).toList());
    }

    static String clusterId(EmbeddedBroker broker, Map<String, Object> client) throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, Object> configs = new HashMap<>(client);
        configs.put("bootstrap.servers", broker.bootstrapServers());
        configs.put("request.timeout.ms", (int) Duration.ofSeconds(10).toMillis());
        configs.put("default.api.timeout.ms", (int) Duration.ofSeconds(15).toMillis());
        try (Admin admin = Admin.create(configs)) {
            return admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
        }
    }
}
