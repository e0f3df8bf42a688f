package io.runnel.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataControllerTest {

    @TempDir
    Path dir;

    @Test
    void shouldReplayTopicsAndProducerIdsAfterReopen() throws IOException {
        TopicMetadata created;
        try (MetadataController controller = MetadataController.open(dir)) {
            created = controller.createTopic("orders", 6, Map.of("retention.ms", "1000"));
            controller.createTopic("gone", 1, Map.of());
            controller.deleteTopic(controller.image().topic("gone").orElseThrow().id());
            assertThat(controller.allocateProducerIds(1000)).isZero();
        }
        try (MetadataController reopened = MetadataController.open(dir)) {
            assertThat(reopened.image().topic("orders")).contains(created);
            assertThat(reopened.image().topic(created.id())).contains(created);
            assertThat(reopened.image().topic("gone")).isEmpty();
            assertThat(reopened.allocateProducerIds(1000)).isEqualTo(1000);
        }
    }

    @Test
    void shouldReplayConfigChangesAndAddedPartitionsAfterReopen() throws IOException {
        TopicMetadata created;
        try (MetadataController controller = MetadataController.open(dir)) {
            created = controller.createTopic("orders", 2, Map.of("retention.ms", "1000"));
            controller.alterTopicConfigs(created.id(), Map.of("segment.bytes", "2000000"));
            controller.addPartitions(created.id(), 5);
            controller.alterBrokerConfigs(MetadataImage.DEFAULT_BROKER, Map.of("log.retention.ms", "5000"));
            controller.alterBrokerConfigs("1", Map.of("log.retention.bytes", "100"));
            controller.alterBrokerConfigs("1", Map.of());
        }
        try (MetadataController reopened = MetadataController.open(dir)) {
            TopicMetadata topic = reopened.image().topic("orders").orElseThrow();
            assertThat(topic.configs()).isEqualTo(Map.of("segment.bytes", "2000000"));
            assertThat(topic.partitionCount()).isEqualTo(5);
            assertThat(topic.id()).isEqualTo(created.id());
            assertThat(reopened.image().brokerConfigs(MetadataImage.DEFAULT_BROKER)).isEqualTo(Map.of("log.retention.ms", "5000"));
            assertThat(reopened.image().brokerConfigs("1")).isEmpty();
            assertThatThrownBy(() -> reopened.addPartitions(created.id(), 5)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldRefuseARecordTooLargeToReadBackAndKeepTheLogUsable() throws IOException {
        Map<String, String> huge = new java.util.HashMap<>();
        for (int i = 0; i < 100; i++) {
            huge.put("key" + i, "v".repeat(20_000));
        }
        try (MetadataController controller = MetadataController.open(dir)) {
            assertThatThrownBy(() -> controller.alterBrokerConfigs("1", huge)).isInstanceOf(java.io.UncheckedIOException.class);
            controller.alterBrokerConfigs("1", Map.of("log.retention.ms", "1"));
        }
        try (MetadataController reopened = MetadataController.open(dir)) {
            assertThat(reopened.image().brokerConfigs("1")).isEqualTo(Map.of("log.retention.ms", "1"));
        }
    }

    @Test
    void shouldRefuseDuplicateAndCollidingNames() throws IOException {
        try (MetadataController controller = MetadataController.open(dir)) {
            controller.createTopic("a.b", 1, Map.of());
            assertThatThrownBy(() -> controller.createTopic("a.b", 1, Map.of())).isInstanceOf(TopicExistsException.class);
            assertThatThrownBy(() -> controller.createTopic("a_b", 1, Map.of())).isInstanceOf(InvalidTopicException.class);
        }
    }

    @Test
    void shouldKeepEverythingBeforeATornTail() throws IOException {
        try (MetadataController controller = MetadataController.open(dir)) {
            controller.createTopic("kept", 1, Map.of());
            controller.createTopic("torn", 1, Map.of());
        }
        try (FileChannel file = FileChannel.open(dir.resolve("metadata.log"), StandardOpenOption.WRITE)) {
            file.truncate(file.size() - 3);
        }
        try (MetadataController reopened = MetadataController.open(dir)) {
            assertThat(reopened.image().topic("kept")).isPresent();
            assertThat(reopened.image().topic("torn")).isEmpty();
            reopened.createTopic("after", 1, Map.of());
        }
        try (MetadataController again = MetadataController.open(dir)) {
            assertThat(again.image().topic("after")).isPresent();
        }
    }

    @Test
    void shouldTellListenersOfEachCommittedImage() throws IOException {
        List<Integer> topicCounts = new ArrayList<>();
        try (MetadataController controller = MetadataController.open(dir)) {
            controller.addListener((previous, current) -> topicCounts.add(current.topics().size()));
            controller.createTopic("one", 1, Map.of());
            controller.createTopic("two", 1, Map.of());
        }
        assertThat(topicCounts).containsExactly(1, 2);
    }

    @Test
    void shouldTellEveryListenerAndCommitWhenOneFails() throws IOException {
        List<Integer> topicCounts = new ArrayList<>();
        try (MetadataController controller = MetadataController.open(dir)) {
            controller.addListener((previous, current) -> {
                throw new UncheckedIOException(new IOException("cannot open the log"));
            });
            controller.addListener((previous, current) -> topicCounts.add(current.topics().size()));

            controller.createTopic("one", 1, Map.of());
            controller.createTopic("two", 1, Map.of());

            assertThat(controller.image().topic("two")).isPresent();
        }
        assertThat(topicCounts).containsExactly(1, 2);
    }
}
