package io.runnel.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.group.ConsumerGroupMigrationPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void shouldUseKafkaDefaultsWithRunnelsListenerAndDataDir() {
        BrokerConfig config = BrokerConfig.parse(Map.of());

        assertThat(config.listeners()).containsExactly(new Listener("PLAINTEXT", "localhost", 9092));
        assertThat(config.advertisedListeners()).isEqualTo(config.listeners());
        assertThat(config.logDirs()).containsExactly(Path.of("./data"));
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104857600);
        assertThat(config.logDefaults()).containsEntry("retention.ms", 604800000L).containsEntry("max.message.bytes", 1048588);
        assertThat(config.nonDefaultValues()).isEmpty();
    }

    @Test
    void shouldNameTheKeyOfABadValueInOneLine() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("num.partitions", "abc")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("num.partitions")
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldRefuseAValueBelowItsMinimum() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("message.max.bytes", "-5")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("message.max.bytes");
    }

    @Test
    void shouldRefuseConsumerGroupTimingsOutsideTheirBounds() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("group.consumer.session.timeout.ms", "10000")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("group.consumer.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("group.consumer.heartbeat.interval.ms", "60000")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("group.consumer.heartbeat.interval.ms must be less than or equal to group.consumer.max.heartbeat.interval.ms");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("group.consumer.min.session.timeout.ms", "1000",
                "group.consumer.session.timeout.ms", "3000", "group.consumer.heartbeat.interval.ms", "5000")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("group.consumer.heartbeat.interval.ms must be less than group.consumer.session.timeout.ms");
    }

    @Test
    void shouldReadTheConsumerGroupMigrationPolicyAsKafkaNamesIt() {
        assertThat(BrokerConfig.parse(Map.of()).groupConfig().consumerMigrationPolicy())
                .isEqualTo(ConsumerGroupMigrationPolicy.BIDIRECTIONAL);
        assertThat(BrokerConfig.parse(Map.of("group.consumer.migration.policy", "Upgrade")).groupConfig().consumerMigrationPolicy())
                .isEqualTo(ConsumerGroupMigrationPolicy.UPGRADE);
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("group.consumer.migration.policy", "sideways")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("group.consumer.migration.policy");
    }

    @Test
    void shouldRefuseAMalformedListener() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "localhost:9092")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("listeners");
    }

    @Test
    void shouldServeEveryNamedListenerMappedToPlaintext() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "CLIENTS://localhost:9092,INTERNAL://localhost:9093",
                "listener.security.protocol.map", "CLIENTS:PLAINTEXT,INTERNAL:PLAINTEXT"));

        assertThat(config.brokerListeners()).containsExactly(new Listener("CLIENTS", "localhost", 9092), new Listener("INTERNAL", "localhost", 9093));
    }

    @Test
    void shouldRefuseALogSegmentSmallerThanKafkasMinimum() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("log.segment.bytes", "20000")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("log.segment.bytes");
    }

    @Test
    void shouldPreferLogDirsAndRetentionMsOverCoarserKeys() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "log.dir", "/ignored", "log.dirs", "/a,/b",
                "log.retention.hours", "1", "log.retention.ms", "5000"));

        assertThat(config.logDirs()).isEqualTo(List.of(Path.of("/a"), Path.of("/b")));
        assertThat(config.logDefaults()).containsEntry("retention.ms", 5000L);
    }

    @Test
    void shouldReportUnknownKeysForAWarning() {
        BrokerConfig config = BrokerConfig.parse(Map.of("no.such.key", "1", "num.recovery.threads.per.data.dir", "2"));

        assertThat(config.unknownKeys()).containsOnlyKeys("no.such.key");
    }

    @Test
    void shouldServeMetricsOnPort9644OfTheListenersHostByDefault() {
        assertThat(BrokerConfig.parse(Map.of()).metricsPort()).isEqualTo(9644);
        assertThat(BrokerConfig.parse(Map.of()).metricsHost()).isEqualTo("localhost");
        assertThat(BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://:9092")).metricsHost()).isEmpty();
        assertThat(BrokerConfig.parse(Map.of("metrics.host", "0.0.0.0", "metrics.port", "-1")))
                .satisfies(config -> assertThat(config.metricsHost()).isEqualTo("0.0.0.0"))
                .satisfies(config -> assertThat(config.metricsPort()).isEqualTo(-1));
    }

    @Test
    void shouldRefuseAMetricsPortBelowMinusOne() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("metrics.port", "-2")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("metrics.port");
    }

    @Test
    void shouldServeTransactionsWithKafkasTransactionDefaults() {
        BrokerConfig config = BrokerConfig.parse(Map.of());
        assertThat(config.transactionsEnabled()).isTrue();
        // a node alone: replication factor and min ISR 1 unless set, as for __consumer_offsets
        assertThat(config.transactionSettings()).isEqualTo(new BrokerConfig.TransactionSettings(50, (short) 1, 1, 104857600, 900000, 604800000L,
                10000L, 3600000L));
        assertThat(BrokerConfig.parse(Map.of("transaction.state.log.replication.factor", "3", "transaction.state.log.min.isr", "2"))
                .transactionSettings()).extracting(BrokerConfig.TransactionSettings::replicationFactor, BrokerConfig.TransactionSettings::minIsr)
                .containsExactly((short) 3, 2);
        assertThat(BrokerConfig.parse(Map.of(BrokerConfig.TRANSACTIONS_ENABLE, "false")).transactionsEnabled()).isFalse();
    }
}
