package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.PrometheusText;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client quotas enforced on real kafka-clients: a producer over its producer_byte_rate held to it (the
 * issue's "within 5% of the quota over 30 s", judged from what the broker's log took), a consumer held
 * to its consumer_byte_rate, a client without a quota unaffected meanwhile, and a quota still enforced
 * after a restart. The clients report the throttling in their own throttle-time metrics.
 */
class ClientQuotaEnforcementIT {

    /** 256 KiB/s: far below what any machine produces unthrottled, so the quota is what holds the rate. */
    private static final double QUOTA = 256 * 1024;
    /** Kafka lets a client burst up to (samples - 1) windows of quota at first; the measure starts after that. */
    private static final Duration WARM_UP = Duration.ofSeconds(12);
    /** The span. */
    private static final Duration MEASURED = Duration.ofSeconds(30);
    /**
     * Kafka's sliding window lets a client that always wants more send in bursts: each time its oldest sample
     * leaves the window, (samples - 1) windows of quota at once, so with Kafka's 11 samples of 1 s a 10 s burst
     * every 11 s. The rate holds over whole periods, but a 30 s span may catch three bursts or two (measured here:
     * 1.10 and 0.87 of the quota). With 2 samples a burst is a second of quota every 2 s, which a 30 s span
     * sees within 5%: the producer and consumer checks run with them.
     */
    private static final Map<String, String> TWO_SAMPLES = Map.of("quota.window.num", "2");
    private static final String VALUE = "v".repeat(1000);

    @TempDir
    Path tempDir;

    private static void setQuota(Admin admin, String clientId, String key, double value) throws Exception {
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId)),
                List.of(new ClientQuotaAlteration.Op(key, value))))).all().get();
    }

    private static KafkaProducer<String, String> producer(EmbeddedBroker broker, String clientId) {
        return KafkaClients.producer(broker.bootstrapServers(), Map.of("client.id", clientId, "batch.size", 32768, "linger.ms", 5,
                "max.block.ms", 120_000, "delivery.timeout.ms", 300_000, "request.timeout.ms", 120_000));
    }

    /** Sends as fast as the producer takes records until stopped. */
    private static Thread flood(KafkaProducer<String, String> producer, String topic, AtomicBoolean stop) {
        Thread thread = new Thread(() -> {
            try {
                while (!stop.get()) {
                    producer.send(new ProducerRecord<>(topic, VALUE));
                }
            } catch (org.apache.kafka.common.KafkaException | IllegalStateException closed) {
                // the test closed the producer under the sending thread: done
            }
        }, "flood-" + topic);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Sends {@code records} records without a quota, while the metered producer runs; returns their rate in bytes/s. */
    private static double sendUnmetered(KafkaProducer<String, String> producer, int records) {
        long start = System.nanoTime();
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>("unmetered", VALUE));
        }
        producer.flush();
        return (double) records * VALUE.length() / ((System.nanoTime() - start) / 1e9);
    }

    private static long logBytes(Admin admin, int brokerId, TopicPartition partition) throws Exception {
        return admin.describeLogDirs(List.of(brokerId)).allDescriptions().get().get(brokerId).values().stream()
                .mapToLong(dir -> dir.replicaInfos().containsKey(partition) ? dir.replicaInfos().get(partition).size() : 0).sum();
    }

    private static double metric(Map<org.apache.kafka.common.MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name) && !e.getKey().tags().containsKey("node-id"))
                .mapToDouble(e -> (Double) e.getValue().metricValue()).findFirst().orElseThrow();
    }

    private static void waitFor(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        await().pollInterval(Duration.ofMillis(200)).atMost(duration.plusSeconds(5)).until(() -> System.nanoTime() >= end);
    }

    @Test
    void shouldHoldAProducerToItsQuotaWhileAnotherRunsFree() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, TWO_SAMPLES);
             Admin admin = KafkaClients.admin(broker.bootstrapServers());
             KafkaProducer<String, String> limited = producer(broker, "limited");
             KafkaProducer<String, String> free = producer(broker, "free")) {
            KafkaClients.createTopic(broker.bootstrapServers(), "metered", 1);
            KafkaClients.createTopic(broker.bootstrapServers(), "unmetered", 1);
            setQuota(admin, "limited", "producer_byte_rate", QUOTA);
            int brokerId = admin.describeCluster().nodes().get().iterator().next().id();
            TopicPartition metered = new TopicPartition("metered", 0);
            TopicPartition unmetered = new TopicPartition("unmetered", 0);
            AtomicBoolean stop = new AtomicBoolean();
            Thread limitedSends = flood(limited, "metered", stop);
            try {
                waitFor(WARM_UP);
                long start = System.nanoTime();
                long meteredAtStart = logBytes(admin, brokerId, metered);
                double unmeteredRate = sendUnmetered(free, 8000);
                waitFor(MEASURED.minusNanos(System.nanoTime() - start));
                double seconds = (System.nanoTime() - start) / 1e9;
                double meteredRate = (logBytes(admin, brokerId, metered) - meteredAtStart) / seconds;
                System.out.printf("metered %.0f B/s (quota %.0f) over %.1f s, unmetered %.0f B/s meanwhile%n", meteredRate, QUOTA, seconds, unmeteredRate);

                assertThat(meteredRate).as("metered producer's rate in bytes/s, as the log took it").isBetween(QUOTA * 0.95, QUOTA * 1.05);
                assertThat(unmeteredRate).as("unmetered producer's rate in bytes/s").isGreaterThan(QUOTA * 4);
                assertThat(logBytes(admin, brokerId, unmetered)).isGreaterThan(8000L * VALUE.length());
                assertThat(metric(limited.metrics(), "produce-throttle-time-avg")).isPositive();
                assertThat(metric(free.metrics(), "produce-throttle-time-max")).isZero();
            } finally {
                stop.set(true);
                // what is still buffered would take minutes at the quota: dropped
                limited.close(Duration.ZERO);
                limitedSends.join(60_000);
            }
        }
    }

    @Test
    void shouldHoldAConsumerToItsQuota() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, TWO_SAMPLES);
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            KafkaClients.createTopic(broker.bootstrapServers(), "stored", 1);
            // more than the consumer may take in the warm-up and the measure together
            long records = (long) (QUOTA * (WARM_UP.toSeconds() + MEASURED.toSeconds() + 20) / VALUE.length());
            try (KafkaProducer<String, String> loader = producer(broker, "loader")) {
                for (long i = 0; i < records; i++) {
                    loader.send(new ProducerRecord<>("stored", VALUE));
                }
                loader.flush();
            }
            setQuota(admin, "metered-consumer", "consumer_byte_rate", QUOTA);
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("client.id", "metered-consumer"))) {
                consumer.assign(List.of(new TopicPartition("stored", 0)));
                AtomicLong consumed = new AtomicLong();
                long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
                while (System.nanoTime() < warmUpEnd) {
                    consumer.poll(Duration.ofMillis(200));
                }
                long start = System.nanoTime();
                long end = start + MEASURED.toNanos();
                while (System.nanoTime() < end) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        consumed.addAndGet(record.serializedValueSize());
                    }
                }
                double rate = consumed.get() / ((System.nanoTime() - start) / 1e9);
                System.out.printf("consumer %.0f B/s (quota %.0f)%n", rate, QUOTA);

                // Held to the quota; below it by what throttled fetches read and dropped (Kafka's throttle time counts
                // the dropped answer too, then takes it back: 0.58 of the quota measured here), so only the upper bound is tight.
                assertThat(rate).as("consumer's rate in record bytes/s").isBetween(QUOTA * 0.3, QUOTA * 1.05);
                assertThat(metric(consumer.metrics(), "fetch-throttle-time-avg")).isPositive();
            }
        }
    }

    @Test
    void shouldStillEnforceAQuotaAfterARestartAndMeterTheThrottling() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), "small", 1);
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                setQuota(admin, "slow", "producer_byte_rate", 1024);
            }

            broker.restart();

            try (KafkaProducer<String, String> producer = producer(broker, "slow")) {
                // 20 KB against 1 KiB/s: over (samples - 1) windows of quota at once, so throttled (the answer comes at once)
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>("small", VALUE));
                }
                producer.flush();
                assertThat(metric(producer.metrics(), "produce-throttle-time-max")).isPositive();
            }
            assertThat(PrometheusText.value(PrometheusText.scrape(broker.metricsPort()), "runnel_quota_throttle_time_seconds_count", "type=\"Produce\""))
                    .isPositive();
        }
    }
}
