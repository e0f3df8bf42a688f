package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code __consumer_offsets} is compacted: once the cleaner has removed superseded commits and the
 * records of a deleted group, a restarted broker's group coordinator, replaying what is left, still
 * knows every group's latest offsets, and the deleted group stays deleted.
 */
class OffsetsTopicCompactionIT {

    private static final TopicPartition READ = new TopicPartition("read", 0);
    private static final String METADATA = "m".repeat(8_000);
    private static final int COMMITS = 400;

    @TempDir
    Path dataDir;

    @Test
    void shouldReplayTheLatestOffsetsAfterCleaningAndRestart() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("offsets.topic.num.partitions", "1",
                "offsets.topic.segment.bytes", "1048576", "offset.metadata.max.bytes", "10000", "log.cleaner.backoff.ms", "100"))) {
            KafkaClients.createTopic(broker.bootstrapServers(), READ.topic(), 1);
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                admin.alterConsumerGroupOffsets("deleted", Map.of(READ, new OffsetAndMetadata(7))).all().get();
                admin.deleteConsumerGroups(List.of("deleted")).all().get();
                // about 3 MB of commits, so __consumer_offsets-0 rolls segments for the cleaner to clean
                for (int i = 1; i <= COMMITS; i++) {
                    admin.alterConsumerGroupOffsets("kept", Map.of(READ, new OffsetAndMetadata(i, METADATA))).all().get();
                }
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(offsetsLogBytes()).isLessThan(2 * 1024 * 1024));
            broker.restart();

            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("kept").partitionsToOffsetAndMetadata().get();
                assertThat(offsets).containsEntry(READ, new OffsetAndMetadata(COMMITS, METADATA));
                assertThat(admin.listGroups().all().get()).extracting(GroupListing::groupId).containsExactly("kept");
                assertThat(admin.listConsumerGroupOffsets("deleted").partitionsToOffsetAndMetadata().get()).isEmpty();
            }
        }
    }

    private long offsetsLogBytes() throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve("__consumer_offsets-0"))) {
            return files.filter(file -> file.toString().endsWith(".log")).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
