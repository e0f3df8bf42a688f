package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * request_percentage on real producers: a client whose requests take more than its share of a request-handler
 * thread gets throttle times in its answers (its own produce-throttle-time metric shows them), while a client
 * without a quota sending the same is never throttled.
 */
class RequestQuotaIT {

    /** A ten-thousandth of a thread: a few produce requests' handling exceed it. */
    private static final double TINY_SHARE = 0.01;

    @TempDir
    Path tempDir;

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name) && !e.getKey().tags().containsKey("node-id"))
                .mapToDouble(e -> (Double) e.getValue().metricValue()).findFirst().orElseThrow();
    }

    private static KafkaProducer<String, String> producer(EmbeddedBroker broker, String clientId) {
        return KafkaClients.producer(broker.bootstrapServers(), Map.of("client.id", clientId, "linger.ms", 0));
    }

    private static void sendOneByOne(KafkaProducer<String, String> producer, int records) throws Exception {
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>("requests", "v" + i)).get();
        }
    }

    @Test
    void shouldThrottleAClientOverItsRequestPercentageOnly() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, Map.of());
             Admin admin = KafkaClients.admin(broker.bootstrapServers());
             KafkaProducer<String, String> busy = producer(broker, "busy");
             KafkaProducer<String, String> free = producer(broker, "free")) {
            KafkaClients.createTopic(broker.bootstrapServers(), "requests", 1);
            ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "busy"));
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity, List.of(new ClientQuotaAlteration.Op("request_percentage", TINY_SHARE)))))
                    .all().get();
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get().containsKey(entity));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                sendOneByOne(busy, 20);
                assertThat(metric(busy.metrics(), "produce-throttle-time-max")).isPositive();
            });
            sendOneByOne(free, 100);

            assertThat(metric(free.metrics(), "produce-throttle-time-max")).isZero();
        }
    }
}
