package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.BrokerProcess;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed offsets live in {@code __consumer_offsets} on disk: after a clean restart and after a
 * SIGKILL, every group and every committed offset is back, metadata strings and leader epochs
 * included; an empty group's offsets expire after {@code offsets.retention.minutes}.
 */
class GroupDurabilityIT {

    private static final String TOPIC = "ledger";
    private static final int PARTITIONS = 4;
    private static final int GROUPS = 20;

    @TempDir
    Path tempDir;

    @Test
    void shouldKeepCommittedOffsetsAcrossACleanRestart() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("offsets.topic.num.partitions", "7"))) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = commitForManyGroups(broker.bootstrapServers());

            broker.restart();

            assertThat(readBack(broker.bootstrapServers())).isEqualTo(committed);
            assertThat(groupIds(broker.bootstrapServers())).containsAll(committed.keySet());
        }
    }

    @Test
    void shouldKeepCommittedOffsetsWhenTheBrokerIsKilled() throws Exception {
        Path dataDir = tempDir.resolve("data");
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed;
        try (BrokerProcess broker = BrokerProcess.start(dataDir, Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            committed = commitForManyGroups(broker.bootstrapServers());
            broker.kill();
        }

        try (BrokerProcess recovered = BrokerProcess.start(dataDir, Map.of())) {
            assertThat(readBack(recovered.bootstrapServers())).isEqualTo(committed);
        }
    }

    @Test
    void shouldKeepTheLatestCommitOfEachPartition() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", "latest"))) {
                for (long offset = 1; offset <= 50; offset++) {
                    consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset, "commit " + offset)));
                }
            }

            broker.restart();

            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                OffsetAndMetadata latest = admin.listConsumerGroupOffsets("latest").partitionsToOffsetAndMetadata().get().get(partition);
                assertThat(latest.offset()).isEqualTo(50);
                assertThat(latest.metadata()).isEqualTo("commit 50");
            }
        }
    }

    @Test
    void shouldExpireAnEmptyGroupsOffsetsAfterOffsetsRetentionMinutes() throws Exception {
        Map<String, String> config = Map.of("offsets.retention.minutes", "1", "offsets.retention.check.interval.ms", "1000");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), config)) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            TopicPartition partition = new TopicPartition(TOPIC, 1);
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", "expiring"))) {
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(42, "kept for a minute")));
            }
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                assertThat(admin.listConsumerGroupOffsets("expiring").partitionsToOffsetAndMetadata().get()).containsKey(partition);

                // The retention is counted in whole minutes; the expiry check runs every second.
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                    assertThat(admin.listConsumerGroupOffsets("expiring").partitionsToOffsetAndMetadata().get()).isEmpty();
                    assertThat(groupIds(broker.bootstrapServers())).doesNotContain("expiring");
                });
            }
        }
    }

    /** Commits distinct offsets, metadata and leader epochs for {@link #GROUPS} groups, spread over the offsets partitions. */
    private static Map<String, Map<TopicPartition, OffsetAndMetadata>> commitForManyGroups(String bootstrapServers) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        for (int g = 0; g < GROUPS; g++) {
            String groupId = "group-" + g;
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                offsets.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(g * 100L + p, Optional.of(g % 3), "meta " + g + "/" + p));
            }
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrapServers, Map.of("group.id", groupId))) {
                consumer.commitSync(offsets);
            }
            committed.put(groupId, offsets);
        }
        return committed;
    }

    private static Map<String, Map<TopicPartition, OffsetAndMetadata>> readBack(String bootstrapServers) throws Exception {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> read = new HashMap<>();
        try (Admin admin = KafkaClients.admin(bootstrapServers)) {
            for (int g = 0; g < GROUPS; g++) {
                String groupId = "group-" + g;
                read.put(groupId, admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get());
            }
        }
        return read;
    }

    private static List<String> groupIds(String bootstrapServers) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrapServers)) {
            return admin.listGroups().all().get().stream().map(GroupListing::groupId).collect(Collectors.toList());
        }
    }
}
