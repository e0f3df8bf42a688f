package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-368: with {@code connections.max.reauth.ms} set, kafka-clients re-authenticates on its open
 * connection before the session ends, and keeps producing on it.
 */
class SaslReauthenticationIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldLetAProducerReauthenticateOnItsConnectionBeforeTheSessionEnds() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of(
                "listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"alice-secret\";",
                "connections.max.reauth.ms", "2000"));
             KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of(
                     "security.protocol", "SASL_PLAINTEXT",
                     "sasl.mechanism", "PLAIN",
                     "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"alice-secret\";"))) {

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                producer.send(new ProducerRecord<>("reauth", "k", "v")).get();
                return metric(producer, "successful-reauthentication-total") >= 2;
            });

            assertThat(metric(producer, "failed-reauthentication-total")).isZero();
            producer.send(new ProducerRecord<>("reauth", "k", "after")).get();
        }
    }

    private static double metric(KafkaProducer<String, String> producer, String name) {
        return producer.metrics().entrySet().stream()
                .filter(entry -> entry.getKey().name().equals(name) && entry.getKey().group().equals("producer-metrics"))
                .map(Map.Entry<MetricName, ? extends Metric>::getValue)
                .mapToDouble(metric -> ((Number) metric.metricValue()).doubleValue())
                .sum();
    }
}
