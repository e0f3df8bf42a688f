package io.runnel.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.storage.cleaner.CleanerConfig;
import io.runnel.storage.log.CompactionConfig;
import io.runnel.storage.log.LogConfig;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

/** The log cleaner's broker settings and the compaction topic configs they default. */
class CompactionConfigsTest {

    @Test
    void shouldUseKafkasCleanerDefaults() {
        BrokerConfig config = BrokerConfig.parse(Map.of());

        assertThat(config.cleanerConfig()).isEqualTo(CleanerConfig.DEFAULTS);
        assertThat(new TopicConfigs(config).logConfig(Map.of()).compaction()).isEqualTo(CompactionConfig.NOT_COMPACTED);
    }

    @Test
    void shouldCompactAndKeepRetentionOnlyWhenThePolicySaysSo() {
        TopicConfigs topics = new TopicConfigs(BrokerConfig.parse(Map.of()));

        LogConfig compacted = topics.logConfig(Map.of("cleanup.policy", "compact"));
        LogConfig both = topics.logConfig(Map.of("cleanup.policy", "compact,delete", "retention.ms", "1000"));

        assertThat(compacted.compaction().compact()).isTrue();
        assertThat(compacted.retentionMs()).isEqualTo(-1);
        assertThat(both.compaction().compact()).isTrue();
        assertThat(both.retentionMs()).isEqualTo(1000);
    }

    @Test
    void shouldTakeTopicDefaultsFromTheBrokersCleanerSettings() {
        BrokerConfig broker = BrokerConfig.parse(Map.of("log.cleanup.policy", "compact", "log.cleaner.min.cleanable.ratio", "0.2",
                "log.cleaner.delete.retention.ms", "5000", "log.cleaner.min.compaction.lag.ms", "10", "log.cleaner.max.compaction.lag.ms", "20"));

        CompactionConfig compaction = new TopicConfigs(broker).logConfig(Map.of()).compaction();

        assertThat(compaction).isEqualTo(new CompactionConfig(true, 0.2, 5000, 10, 20));
    }

    @Test
    void shouldRefuseAMaximumCompactionLagBelowTheMinimum() {
        TopicConfigs topics = new TopicConfigs(BrokerConfig.parse(Map.of()));

        assertThatThrownBy(() -> topics.validate(Map.of("min.compaction.lag.ms", "100", "max.compaction.lag.ms", "10")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("max.compaction.lag.ms");
    }

    @Test
    void shouldRefuseACleanerThatCannotHoldOneKey() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("log.cleaner.dedupe.buffer.size", "10", "log.cleaner.threads", "2")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("log cleaner");
    }
}
