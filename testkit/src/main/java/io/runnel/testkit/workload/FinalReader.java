package io.runnel.testkit.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of a topic from its start up to its end offset (the high watermark) with a
 * consumer of no group: the {@link FinalRead} a history's acknowledged writes are checked against.
 * Partitions it cannot read to the end within the time given (no leader, say) are reported incomplete.
 */
public final class FinalReader {

    private FinalReader() {
    }

    /** Reads partitions {@code 0..partitions-1} of {@code topic}, retrying through errors until {@code timeout}. */
    public static FinalRead read(String bootstrapServers, String topic, int partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        props.put("enable.auto.commit", false);
        props.put("auto.offset.reset", "earliest");
        props.put("request.timeout.ms", 5_000);
        props.put("default.api.timeout.ms", 5_000);
        props.put("reconnect.backoff.max.ms", 500);
        List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            Map<TopicPartition, Long> ends = endOffsets(consumer, all, deadline);
            consumer.assign(all);
            consumer.seekToBeginning(all);
            List<Read> records = new ArrayList<>();
            Set<Integer> incomplete = new TreeSet<>(all.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
            while (System.nanoTime() < deadline) {
                incomplete.removeIf(p -> reachedEnd(consumer, new TopicPartition(topic, p), ends));
                if (incomplete.isEmpty()) {
                    break;
                }
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        if (ends.containsKey(new TopicPartition(topic, record.partition())) && record.offset() < ends.get(new TopicPartition(topic, record.partition()))) {
                            records.add(new Read(record.partition(), record.offset(), record.value()));
                        }
                    }
                } catch (KafkaException e) {
                    // a leader moving: poll again until the deadline
                }
            }
            Map<Integer, Long> endOffsets = new HashMap<>();
            ends.forEach((partition, end) -> endOffsets.put(partition.partition(), end));
            return new FinalRead(endOffsets, records, incomplete);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, TopicPartition partition, Map<TopicPartition, Long> ends) {
        Long end = ends.get(partition);
        if (end == null) {
            return false;
        }
        try {
            return consumer.position(partition, Duration.ofSeconds(5)) >= end;
        } catch (KafkaException e) {
            return false;
        }
    }

    /** The end offsets of every partition that answers before the deadline. */
    private static Map<TopicPartition, Long> endOffsets(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions, long deadline) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (int round = 0; ends.size() < partitions.size() && System.nanoTime() < deadline; round++) {
            if (round > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));   // no hot loop while a partition has no leader
            }
            for (TopicPartition partition : partitions) {
                if (!ends.containsKey(partition)) {
                    try {
                        ends.putAll(consumer.endOffsets(List.of(partition), Duration.ofSeconds(5)));
                    } catch (KafkaException e) {
                        // no leader yet: ask again
                    }
                }
            }
        }
        return ends;
    }
}
