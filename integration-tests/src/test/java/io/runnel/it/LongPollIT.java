package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fetch that cannot be satisfied yet (fetch.min.bytes not reached) waits in the broker up to
 * fetch.max.wait.ms, and records appended meanwhile reach the consumer.
 */
class LongPollIT {

    private static final String TOPIC = "long-polled";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @TempDir
    Path tempDir;

    @Test
    void shouldDeliverARecordProducedWhileTheConsumerIsPolling() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
            ConcurrentLinkedQueue<ConsumerRecord<String, String>> received = new ConcurrentLinkedQueue<>();
            AtomicInteger emptyPolls = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pollerThread = Executors.newSingleThreadExecutor();
            try {
                Future<?> poller = pollerThread.submit(() -> pollUntilStopped(broker.bootstrapServers(), received, emptyPolls, stop));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(emptyPolls).hasPositiveValue());

                try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, "k", "appended-during-wait")).get();
                }

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(received).extracting(ConsumerRecord::value).containsExactly("appended-during-wait"));
                stop.set(true);
                poller.get();
            } finally {
                stop.set(true);
                pollerThread.shutdown();
            }
        }
    }

    private static void pollUntilStopped(String bootstrapServers, ConcurrentLinkedQueue<ConsumerRecord<String, String>> received,
                                         AtomicInteger emptyPolls, AtomicBoolean stop) {
        Map<String, Object> config = Map.of("fetch.max.wait.ms", 500, "fetch.min.bytes", 10 * 1024 * 1024);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrapServers, config)) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofSeconds(2));
                if (records.isEmpty()) {
                    emptyPolls.incrementAndGet();
                }
                records.forEach(received::add);
            }
        }
    }
}
