package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by Runnel before clusters (a single node's local metadata log of topics
 * with partition counts, no brokers) keeps working: its topics, records and group offsets are all
 * there, served by the node as a cluster of one.
 */
class LegacyDataIT {

    @TempDir
    Path tempDir;

    @Test
    void shouldServeTopicsRecordsAndGroupOffsetsOfADataDirectoryWrittenBeforeClusters() throws Exception {
        Path data = copyFixture(tempDir.resolve("data"));
        try (EmbeddedBroker broker = EmbeddedBroker.start(data, Map.of("offsets.topic.num.partitions", "3"))) {
            Map<String, String> records = TopicReader.readAll(broker.bootstrapServers(), "legacy").stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
            assertThat(records).hasSize(30).containsEntry("key-1", "value-1").containsEntry("key-30", "value-30");
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("legacy-group")
                        .partitionsToOffsetAndMetadata().get();
                assertThat(committed).hasSize(3);
                assertThat(committed.get(new TopicPartition("legacy", 0)).offset()).isEqualTo(9);
                assertThat(committed.get(new TopicPartition("legacy", 1)).offset()).isEqualTo(9);
                assertThat(committed.get(new TopicPartition("legacy", 2)).offset()).isEqualTo(12);
            }
        }
    }

    private static Path copyFixture(Path target) throws IOException, URISyntaxException {
        Path source = Path.of(LegacyDataIT.class.getResource("/legacy-data/meta.properties").toURI()).getParent();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else if (!file.getFileName().toString().equals("README.md")) {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }
}
