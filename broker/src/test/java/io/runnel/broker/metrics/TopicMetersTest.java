package io.runnel.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.MetadataController;
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
    private MetadataController controller;
    private LogManager logs;
    private TopicMeters meters;

    @BeforeEach
    void open() throws Exception {
        BrokerConfig config = BrokerConfig.parse(Map.of("log.dirs", dir.resolve("logs").toString()));
        controller = MetadataController.open(dir.resolve("metadata"));
        logs = LogManager.open(List.of(dir.resolve("logs")), Clock.systemUTC());
        PartitionRegistry partitions = new PartitionRegistry(logs, new TopicConfigs(config));
        controller.addListener(partitions);
        meters = new TopicMeters(registry, partitions);
        controller.addListener(meters);
    }

    @AfterEach
    void close() throws Exception {
        logs.close();
        controller.close();
    }

    @Test
    void shouldRegisterCountersAndLivePartitionGaugesWhenATopicIsCreated() {
        controller.createTopic("orders", 2, Map.of());

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
        TopicMetadata first = controller.createTopic("orders", 1, Map.of());
        meters.appended("orders", 100, 1);

        controller.deleteTopic(first.id());
        meters.appended("orders", 100, 1);

        assertThat(registry.find(TopicMeters.BYTES_IN).counters()).isEmpty();
        assertThat(registry.find(TopicMeters.HIGH_WATERMARK).gauges()).isEmpty();

        controller.createTopic("orders", 1, Map.of());
        assertThat(registry.get(TopicMeters.BYTES_IN).tag("topic", "orders").counter().count()).isZero();
        assertThat(registry.find(TopicMeters.HIGH_WATERMARK).gauges()).hasSize(1);
    }

    @Test
    void shouldIgnoreTrafficForATopicItDoesNotKnow() {
        meters.appended("unknown", 10, 1);

        assertThat(registry.find(TopicMeters.BYTES_IN).counters()).isEmpty();
    }
}
