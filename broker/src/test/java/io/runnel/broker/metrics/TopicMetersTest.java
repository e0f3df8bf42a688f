package io.runnel.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runnel.broker.SingleBroker;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicMetersTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SingleBroker broker;
    private ClusterMetadata controller;
    private TopicMeters meters;

    @BeforeEach
    void open() throws Exception {
        broker = SingleBroker.start(dir, Clock.systemUTC());
        controller = broker.controller();
        meters = new TopicMeters(registry, broker.partitions());
        controller.addListener(meters);
    }

    @AfterEach
    void close() throws Exception {
        broker.close();
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
