package io.runnel.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;

class DynamicBrokerConfigTest {

    private final BrokerConfig staticConfig = BrokerConfig.parse(Map.of("log.retention.hours", "10"));
    private final TopicConfigs topicConfigs = new TopicConfigs(staticConfig);
    private final DynamicBrokerConfig dynamic = new DynamicBrokerConfig(staticConfig, topicConfigs);

    @Test
    void shouldLayerThisNodeOverTheClusterDefaultOverServerProperties() {
        MetadataImage image = MetadataImage.EMPTY
                .apply(new MetadataRecord.BrokerConfigsChanged(MetadataImage.DEFAULT_BROKER, Map.of("log.retention.ms", "5000", "message.max.bytes", "2000")))
                .apply(new MetadataRecord.BrokerConfigsChanged("1", Map.of("message.max.bytes", "3000")));

        dynamic.onImage(MetadataImage.EMPTY, image);

        assertThat(topicConfigs.effective(Map.of())).containsEntry("retention.ms", 5000L).containsEntry("max.message.bytes", 3000);
        assertThat(topicConfigs.effective(Map.of("max.message.bytes", "10"))).containsEntry("max.message.bytes", 10);
        assertThat(dynamic.layers().effective().value("log.retention.hours")).isEqualTo(10);
    }

    @Test
    void shouldFallBackToServerPropertiesWhenDynamicConfigsAreRemoved() {
        MetadataImage set = MetadataImage.EMPTY.apply(new MetadataRecord.BrokerConfigsChanged("1", Map.of("log.retention.ms", "5000")));
        dynamic.onImage(MetadataImage.EMPTY, set);

        dynamic.onImage(set, set.apply(new MetadataRecord.BrokerConfigsChanged("1", Map.of())));

        assertThat(topicConfigs.effective(Map.of())).containsEntry("retention.ms", 10 * 3_600_000L);
    }

    @Test
    void shouldStartOnTheStaticConfigWhenStoredDynamicConfigsNoLongerFit() {
        BrokerConfig changed = BrokerConfig.parse(Map.of("group.consumer.session.timeout.ms", "50000"));
        DynamicBrokerConfig restarted = new DynamicBrokerConfig(changed, topicConfigs);

        restarted.load(MetadataImage.EMPTY.apply(new MetadataRecord.BrokerConfigsChanged(MetadataImage.DEFAULT_BROKER,
                Map.of("group.consumer.max.session.timeout.ms", "45000", "log.retention.ms", "5000"))));

        assertThat(restarted.layers().effective()).isSameAs(changed);
        assertThat(topicConfigs.effective(Map.of())).containsEntry("retention.ms", 7 * 24 * 3_600_000L);
    }

    @Test
    void shouldIgnoreDynamicConfigsOfOtherNodes() {
        dynamic.onImage(MetadataImage.EMPTY, MetadataImage.EMPTY.apply(new MetadataRecord.BrokerConfigsChanged("2", Map.of("log.retention.ms", "5000"))));

        assertThat(topicConfigs.effective(Map.of())).containsEntry("retention.ms", 10 * 3_600_000L);
    }

    @Test
    void shouldRefuseReadOnlyKeysAndBadValuesButKeepUnknownOnes() {
        assertThatThrownBy(() -> dynamic.validate("1", Map.of("node.id", "3", "num.partitions", "2")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot update these configs dynamically: [node.id, num.partitions]");
        assertThatThrownBy(() -> dynamic.validate(MetadataImage.DEFAULT_BROKER, Map.of("log.segment.bytes", "10")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("log.segment.bytes");
        dynamic.validate("1", Map.of("some.plugin.setting", "x", "log.retention.bytes", "1000"));
    }

    @Test
    void shouldTakeTheCleanerDefaultsAsClusterWideDynamicConfigs() {
        Map<String, String> cleaner = Map.of("log.cleanup.policy", "compact", "log.cleaner.delete.retention.ms", "1000",
                "log.cleaner.min.compaction.lag.ms", "2000", "log.cleaner.max.compaction.lag.ms", "3000",
                "log.cleaner.min.cleanable.ratio", "0.2");
        dynamic.validate(MetadataImage.DEFAULT_BROKER, cleaner);

        dynamic.onImage(MetadataImage.EMPTY, MetadataImage.EMPTY.apply(new MetadataRecord.BrokerConfigsChanged(MetadataImage.DEFAULT_BROKER, cleaner)));

        assertThat(topicConfigs.effective(Map.of())).containsEntry("cleanup.policy", List.of("compact"))
                .containsEntry("delete.retention.ms", 1000L).containsEntry("min.compaction.lag.ms", 2000L)
                .containsEntry("max.compaction.lag.ms", 3000L).containsEntry("min.cleanable.dirty.ratio", 0.2);
    }

    @Test
    void shouldTakeConnectionLimitsForTheClusterAndTellFollowers() {
        List<BrokerConfig> told = new ArrayList<>();
        dynamic.follow(told::add);

        dynamic.validate(MetadataImage.DEFAULT_BROKER, Map.of("max.connections", "10", "listener.name.plaintext.max.connection.creation.rate", "5"));
        dynamic.onImage(MetadataImage.EMPTY, MetadataImage.EMPTY.apply(new MetadataRecord.BrokerConfigsChanged(MetadataImage.DEFAULT_BROKER,
                Map.of("max.connections.per.ip", "3"))));

        assertThat(told).singleElement().satisfies(config -> assertThat(config.connectionLimits().maxConnectionsPerIp()).isEqualTo(3));
        assertThatThrownBy(() -> dynamic.validate("1", Map.of("connections.max.idle.ms", "1000")))
                .isInstanceOf(InvalidRequestException.class).hasMessage("Cannot update these configs dynamically: [connections.max.idle.ms]");
    }

    @Test
    void shouldTakeStoreKeysOnlyPerListenerAndPerBrokerAsKafka() {
        assertThatThrownBy(() -> dynamic.validate("1", Map.of("ssl.keystore.location", "/k.p12")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("These security configs can be dynamically updated only per-listener using the listener prefix: [ssl.keystore.location]");
        assertThatThrownBy(() -> dynamic.validate(MetadataImage.DEFAULT_BROKER, Map.of("listener.name.ssl.ssl.keystore.location", "/k.p12")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot update these configs at default cluster level, broker id must be specified: [listener.name.ssl.ssl.keystore.location]");
        // As Kafka 4.3.1 (checked with kafka-configs), any listener-prefixed key is taken per broker.
        dynamic.validate("1", Map.of("listener.name.ssl.ssl.cipher.suites", "TLS_AES_128_GCM_SHA256",
                "listener.name.plaintext.connections.max.idle.ms", "1000"));
    }

    @Test
    void shouldRunThisNodesChecksOnlyForItsOwnConfigs() {
        dynamic.checkWith(config -> {
            throw new InvalidConfigException("no such keystore");
        });

        assertThatThrownBy(() -> dynamic.validate("1", Map.of("listener.name.ssl.ssl.keystore.location", "/k.p12")))
                .isInstanceOf(InvalidRequestException.class).hasMessage("no such keystore");
        dynamic.validate("2", Map.of("listener.name.ssl.ssl.keystore.location", "/k.p12"));
    }
}
