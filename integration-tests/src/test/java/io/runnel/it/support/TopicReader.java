package io.runnel.it.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole topic the way a group-less consumer does: {@code assign()} every partition,
 * {@code seekToBeginning}, poll until every partition's position reaches the end offset read at the start.
 */
public final class TopicReader {

    private static final Duration READ_LIMIT = Duration.ofSeconds(90);

    private TopicReader() {
    }

    /** Every record of {@code topic}, in the order the consumer returned them. */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
        return readAll(bootstrapServers, topic, Map.of());
    }

    /**
     * Every record of {@code topic} a consumer with {@code overrides} reads up to the end offsets it is
     * told (the last stable offsets under {@code isolation.level=read_committed}).
     */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic, Map<String, Object> overrides) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrapServers, overrides)) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            Instant deadline = Instant.now().plus(READ_LIMIT);
            while (!reachedEnd(consumer, endOffsets)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("Could not read " + topic + " up to " + endOffsets + " within " + READ_LIMIT
                            + "; read " + records.size() + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The end offset of every partition of {@code topic}. */
    public static Map<TopicPartition, Long> endOffsets(String bootstrapServers, String topic) {
        return endOffsets(bootstrapServers, topic, Map.of());
    }

    /**
     * The end offset of every partition of {@code topic} as a consumer with {@code overrides} is told it: the
     * last stable offsets under {@code isolation.level=read_committed}.
     */
    public static Map<TopicPartition, Long> endOffsets(String bootstrapServers, String topic, Map<String, Object> overrides) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrapServers, overrides)) {
            return consumer.endOffsets(partitionsOf(consumer, topic));
        }
    }

    /** The partitions of {@code topic} as its metadata lists them. */
    public static List<TopicPartition> partitionsOf(KafkaConsumer<String, String> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .collect(Collectors.toList());
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> endOffsets) {
        return endOffsets.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }
}
