package io.runnel.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runnel.metadata.controller.ControllerConfig;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.RecordingReplicationContext;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.node.BrokerLifecycle;
import io.runnel.metadata.node.LocalMetadataNode;
import java.time.Duration;
import org.apache.kafka.common.Uuid;
import io.runnel.metadata.TopicMetadata;
import io.runnel.storage.log.LogManager;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicMetersTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LocalMetadataNode node;
    private BrokerLifecycle lifecycle;
    private ClusterMetadata controller;
    private LogManager logs;
    private TopicMeters meters;

    @BeforeEach
    void open() throws Exception {
        BrokerConfig config = BrokerConfig.parse(Map.of("log.dirs", dir.resolve("logs").toString()));
        node = LocalMetadataNode.open(dir.resolve("metadata"), 1, "cluster", 9_000, ControllerConfig.defaults());
        controller = new ClusterMetadata(node, Duration.ofSeconds(10));
        lifecycle = new BrokerLifecycle(new BrokerLifecycle.Registration(1, Uuid.randomUuid(), Uuid.randomUuid(), "cluster",
                List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9092)), null), node.publisher(), node.controller(), 1_000);
        lifecycle.start(10_000).get();
        logs = LogManager.open(List.of(dir.resolve("logs")), Clock.systemUTC());
        RecordingReplicationContext replication = new RecordingReplicationContext(30_000);
        PartitionRegistry partitions = new PartitionRegistry(1, logs, new TopicConfigs(config), replication, replication);
        controller.addListener(partitions);
        meters = new TopicMeters(registry, partitions);
        controller.addListener(meters);
    }

    @AfterEach
    void close() throws Exception {
        logs.close();
        lifecycle.close();
        node.close();
    }

    @Test
    void shouldRegisterCountersAndLivePartitionGaugesWhenATopicIsCreated() {
        controller.createTopic("orders", 2, 1, Map.of(), Map.of(), false);

        meters.appended("orders", 120, 3);
        meters.fetched("orders", 80);

        assertThat(registry.get(TopicMeters.BYTES_IN).tag("topic", "orders").counter().count()).isEqualTo(120);
        assertThat(registry.get(TopicMeters.RECORDS_IN).tag("topic", "orders").counter().count()).isEqualTo(3);
        assertThat(registry.get(TopicMeters.BYTES_OUT).tag("topic", "orders").counter().count()).isEqualTo(80);
        assertThat(registry.find(TopicMeters.LOG_END_OFFSET).tag("topic", "orders").gauges()).hasSize(2);
        assertThat(registry.get(TopicMeters.LOG_END_OFFSET).tags("topic", "orders", "partition", "1").gauge().value()).isZero();
    }

    @Test
    void shouldRemoveEveryMeterOfADeletedTopicAndStartAfreshWhenTheNameComesBack() {
        TopicMetadata first = controller.createTopic("orders", 1, 1, Map.of(), Map.of(), false);
        meters.appended("orders", 100, 1);

        controller.deleteTopic(first.id());
        meters.appended("orders", 100, 1);

        assertThat(registry.find(TopicMeters.BYTES_IN).counters()).isEmpty();
        assertThat(registry.find(TopicMeters.HIGH_WATERMARK).gauges()).isEmpty();

        controller.createTopic("orders", 1, 1, Map.of(), Map.of(), false);
        assertThat(registry.get(TopicMeters.BYTES_IN).tag("topic", "orders").counter().count()).isZero();
        assertThat(registry.find(TopicMeters.HIGH_WATERMARK).gauges()).hasSize(1);
    }

    @Test
    void shouldIgnoreTrafficForATopicItDoesNotKnow() {
        meters.appended("unknown", 10, 1);

        assertThat(registry.find(TopicMeters.BYTES_IN).counters()).isEmpty();
    }
}
