package io.runnel.it.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connections.max.idle.ms}: the broker closes a connection that has been idle longer, as Kafka's
 * Selector does, and a Kafka client reconnects when it next needs one.
 */
class IdleConnectionsIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldCloseAConnectionIdleLongerThanConnectionsMaxIdleMs() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("connections.max.idle.ms", "1000"));
             RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ApiVersionsResponseData answer = connection.call(ApiKeys.API_VERSIONS, (short) 3, apiVersions());
            long answeredNanos = System.nanoTime();

            assertThat(answer.errorCode()).isZero();
            assertThat(connection.isClosedByBroker()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredNanos)).isBetween(900L, 10_000L);
        }
    }

    @Test
    void shouldKeepIdleConnectionsOfAListenerWhoseOwnSettingIsNegative() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("connections.max.idle.ms", "500",
                "listener.name.plaintext.connections.max.idle.ms", "-1"));
             RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers()).readTimeout(Duration.ofSeconds(3))) {
            connection.call(ApiKeys.API_VERSIONS, (short) 3, apiVersions());

            assertThat(connection.isClosedByBroker()).isFalse();
        }
    }

    @Test
    void shouldLetAProducerReconnectAfterTheBrokerClosedItsIdleConnection() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("connections.max.idle.ms", "1000"));
             KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>("idle", "k", "before")).get();

            await().atMost(Duration.ofSeconds(20)).until(() -> metric(producer, "connection-close-total") >= 1);

            assertThat(producer.send(new ProducerRecord<>("idle", "k", "after")).get().offset()).isEqualTo(1);
        }
    }

    private static ApiVersionsRequestData apiVersions() {
        return new ApiVersionsRequestData().setClientSoftwareName("runnel-it").setClientSoftwareVersion("1");
    }

    static double metric(KafkaProducer<String, String> producer, String name) {
        return producer.metrics().entrySet().stream()
                .filter(entry -> entry.getKey().name().equals(name) && entry.getKey().group().equals("producer-metrics"))
                .map(Map.Entry<MetricName, ? extends Metric>::getValue)
                .mapToDouble(metric -> ((Number) metric.metricValue()).doubleValue())
                .sum();
    }
}
