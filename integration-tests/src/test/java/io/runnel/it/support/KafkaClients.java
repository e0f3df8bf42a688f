package io.runnel.it.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real kafka-clients producers, consumers and admins for a broker, with String keys and values. */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** A producer with Kafka's defaults (idempotent, acks=all) plus the given overrides. */
    public static KafkaProducer<String, String> producer(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", StringSerializer.class.getName());
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }

    /** A producer with Kafka's defaults (idempotent, acks=all). */
    public static KafkaProducer<String, String> producer(String bootstrapServers) {
        return producer(bootstrapServers, Map.of());
    }

    /** A consumer without a group (for {@code assign()}), plus the given overrides. */
    public static KafkaConsumer<String, String> consumer(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        config.put("enable.auto.commit", "false");
        config.put("auto.offset.reset", "earliest");
        config.putAll(overrides);
        return new KafkaConsumer<>(config);
    }

    /** A consumer without a group (for {@code assign()}). */
    public static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        return consumer(bootstrapServers, Map.of());
    }

    /** An admin client. */
    public static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** Creates a topic through the Admin API and waits for the result. */
    public static void createTopic(String bootstrapServers, String topic, int partitions) {
        try (Admin admin = admin(bootstrapServers)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create topic " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code records} records (keys {@code k<i>}, values {@code v<i>}) to {@code topic} in one
     * committed transaction of a producer with {@code configs} (its {@code transactional.id} among them).
     */
    public static void commitTransaction(String bootstrapServers, Map<String, Object> configs, String topic, int records) {
        try (KafkaProducer<String, String> producer = producer(bootstrapServers, configs)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.commitTransaction();
        }
    }
}
