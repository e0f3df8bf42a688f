package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records round-trip unchanged (value, key, headers, timestamp) whatever the producer's compression. */
class CompressionIT {

    private static final String TOPIC = "compressed";
    private static final int RECORDS = 2_000;
    private static final long FIRST_TIMESTAMP = 1_700_000_000_000L;

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldRoundTripRecordsWithValuesHeadersAndTimestamps(String compressionType) {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 2);
            List<ProducerRecord<String, String>> sent = records();
            Map<String, Object> config = Map.of("compression.type", compressionType, "linger.ms", 20, "batch.size", 65536);
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), config)) {
                for (ProducerRecord<String, String> record : sent) {
                    producer.send(record);
                }
                producer.flush();
            }

            List<ConsumerRecord<String, String>> received = TopicReader.readAll(broker.bootstrapServers(), TOPIC);

            assertThat(received).extracting(CompressionIT::describeReceived)
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(CompressionIT::describeSent).toList());
        }
    }

    private static List<ProducerRecord<String, String>> records() {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            List<Header> headers = List.of(
                    new RecordHeader("index", String.valueOf(i).getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader("empty", new byte[0]));
            String value = "value-" + i + "-" + "compressible ".repeat(i % 20);
            records.add(new ProducerRecord<>(TOPIC, null, FIRST_TIMESTAMP + i, "key-" + (i % 10), value, headers));
        }
        return records;
    }

    private static String describeSent(ProducerRecord<String, String> record) {
        return describe(record.key(), record.value(), record.timestamp(), record.headers());
    }

    private static String describeReceived(ConsumerRecord<String, String> record) {
        return describe(record.key(), record.value(), record.timestamp(), record.headers());
    }

    private static String describe(String key, String value, long timestamp, Iterable<Header> headers) {
        StringBuilder description = new StringBuilder(key).append('|').append(value).append('|').append(timestamp);
        for (Header header : headers) {
            description.append('|').append(header.key()).append('=').append(new String(header.value(), StandardCharsets.UTF_8));
        }
        return description.toString();
    }
}
