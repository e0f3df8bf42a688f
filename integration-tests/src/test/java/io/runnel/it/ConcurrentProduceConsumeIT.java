package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer tailing a topic while a producer writes to it. Its fetches may wait in the broker for up
 * to 30 s, so the records can only all arrive within seconds of the last write if appends wake the
 * waiting fetches. Each partition arrives complete and in order.
 */
class ConcurrentProduceConsumeIT {

    private static final String TOPIC = "tailed";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 30_000;
    private static final int FETCH_MAX_WAIT_MS = 30_000;

    @TempDir
    Path dataDir;

    @Test
    void shouldWakeWaitingFetchesAndDeliverEveryRecordInOrder() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            ConcurrentLinkedQueue<ConsumerRecord<String, String>> received = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService tailer = Executors.newSingleThreadExecutor();
            try {
                tailer.submit(() -> tail(broker.bootstrapServers(), received, stop));
                try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("linger.ms", 1))) {
                    for (int i = 0; i < RECORDS; i++) {
                        producer.send(new ProducerRecord<>(TOPIC, "key-" + (i % 100), Integer.toString(i)));
                    }
                }

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSize(RECORDS));
            } finally {
                stop.set(true);
                tailer.shutdown();
            }
            assertContiguousPerPartition(new ArrayList<>(received));
        }
    }

    private static void tail(String bootstrapServers, ConcurrentLinkedQueue<ConsumerRecord<String, String>> received, AtomicBoolean stop) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrapServers, Map.of("fetch.max.wait.ms", FETCH_MAX_WAIT_MS))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stop.get()) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
    }

    private static void assertContiguousPerPartition(List<ConsumerRecord<String, String>> records) {
        Map<Integer, Long> nextOffset = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            assertThat(record.offset()).isEqualTo(nextOffset.getOrDefault(record.partition(), 0L));
            nextOffset.put(record.partition(), record.offset() + 1);
        }
    }
}
