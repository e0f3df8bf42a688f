package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed example's consumer, configured exactly as written (bootstrap servers, group "my-group",
 * String deserializers; everything else Kafka's defaults: latest offset reset, auto-commit), against a
 * broker with default settings: it receives everything produced after it joined, key order kept, and
 * a restarted consumer of the same group resumes where the group left off.
 */
class SeedConsumerGroupIT {

    private static final String TOPIC = "logging";
    private static final int RECORDS = 20_000;
    private static final int KEYS = 100;

    @TempDir
    Path tempDir;

    @Test
    void shouldDeliverEverythingToTheSeedConsumerAndResumeAfterRestart() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 6);

            List<ConsumerRecord<String, String>> first;
            try (SeedConsumer consumer = SeedConsumer.start(broker.bootstrapServers())) {
                produce(broker.bootstrapServers(), 0, RECORDS);
                await().atMost(Duration.ofSeconds(60)).until(() -> consumer.received().size() >= RECORDS);
                first = consumer.received();
            }
            assertThat(first).hasSize(RECORDS);
            assertKeyOrder(first);

            produce(broker.bootstrapServers(), RECORDS, 10);
            try (SeedConsumer restarted = SeedConsumer.start(broker.bootstrapServers())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> restarted.received().size() >= 10);
                assertThat(restarted.received()).extracting(ConsumerRecord::value)
                        .containsExactlyInAnyOrderElementsOf(values(RECORDS, 10));
            }
        }
    }

    private static void produce(String bootstrapServers, int from, int count) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        properties.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + (i % KEYS), String.valueOf(i)));
            }
        }
    }

    private static List<String> values(int from, int count) {
        List<String> values = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            values.add(String.valueOf(i));
        }
        return values;
    }

    private static void assertKeyOrder(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> last = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            int value = Integer.parseInt(record.value());
            Integer previous = last.put(record.key(), value);
            assertThat(previous == null ? value < KEYS : value == previous + KEYS).as("%s after %s", value, previous).isTrue();
        }
    }

    /** The seed's consumer: its properties verbatim and its poll loop, on its own thread, with a way to stop. */
    private static final class SeedConsumer implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> received = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean positioned;
        private volatile boolean stopped;

        private SeedConsumer(String bootstrapServers) {
            Properties props = new Properties();
            props.put("bootstrap.servers", bootstrapServers);
            props.put("group.id", "my-group");
            props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
            props.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
            this.consumer = new KafkaConsumer<>(props);
            consumer.subscribe(Collections.singletonList(TOPIC));
            this.thread = new Thread(this::pollLoop, "seed-consumer");
        }

        static SeedConsumer start(String bootstrapServers) {
            SeedConsumer seed = new SeedConsumer(bootstrapServers);
            seed.thread.start();
            // "latest" reset: records sent before the consumer has its positions would not be for it.
            await().atMost(Duration.ofSeconds(60)).until(() -> seed.positioned);
            return seed;
        }

        private void pollLoop() {
            try {
                while (!stopped) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
                    for (ConsumerRecord<String, String> record : records) {
                        received.add(record);
                    }
                    if (!positioned && consumer.assignment().size() == 6) {
                        for (TopicPartition partition : consumer.assignment()) {
                            consumer.position(partition);
                        }
                        positioned = true;
                    }
                }
            } finally {
                consumer.close();
            }
        }

        List<ConsumerRecord<String, String>> received() {
            synchronized (received) {
                return List.copyOf(received);
            }
        }

        @Override
        public void close() {
            stopped = true;
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
