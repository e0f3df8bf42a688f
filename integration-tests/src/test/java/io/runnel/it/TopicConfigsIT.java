package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic and broker configs through Admin: DescribeConfigs with sources and synonyms, incremental and
 * legacy AlterConfigs with Kafka's errors, and changes that live logs apply at once and that survive
 * a restart.
 */
class TopicConfigsIT {

    private static final String TOPIC = "configured";
    private static final ConfigResource TOPIC_RESOURCE = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
    private static final ConfigResource THIS_BROKER = new ConfigResource(ConfigResource.Type.BROKER, "1");
    private static final ConfigResource DEFAULT_BROKER = new ConfigResource(ConfigResource.Type.BROKER, "");

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("log.retention.check.interval.ms", "100", "log.segment.delete.delay.ms", "0",
                "log.retention.hours", "100"));
        admin = KafkaClients.admin(broker.bootstrapServers());
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("retention.bytes", "10000000")))).all().get();
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldDescribeEveryTopicConfigWithItsSource() throws Exception {
        Config config = describe(TOPIC_RESOURCE);

        assertThat(config.get("retention.bytes").value()).isEqualTo("10000000");
        assertThat(config.get("retention.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("retention.ms").value()).isEqualTo(String.valueOf(100 * 3_600_000L));
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("retention.ms").synonyms()).extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("log.retention.hours", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG),
                        org.assertj.core.groups.Tuple.tuple("log.retention.hours", ConfigEntry.ConfigSource.DEFAULT_CONFIG));
        assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("segment.bytes").type()).isEqualTo(ConfigEntry.ConfigType.INT);
        assertThat(config.get("cleanup.policy").type()).isEqualTo(ConfigEntry.ConfigType.LIST);
        assertThat(config.get("max.message.bytes").isReadOnly()).isFalse();
        assertThat(config.entries()).allSatisfy(entry -> assertThat(entry.isSensitive()).isFalse());
    }

    @Test
    void shouldDescribeTheBrokerWithReadOnlyAndDynamicConfigs() throws Exception {
        Config config = describe(THIS_BROKER);

        assertThat(config.get("node.id").value()).isEqualTo("1");
        assertThat(config.get("node.id").isReadOnly()).isTrue();
        assertThat(config.get("log.retention.hours").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("log.retention.ms").isReadOnly()).isFalse();
        assertThat(config.get("message.max.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void shouldSetDeleteAppendAndSubtract() throws Exception {
        alter(TOPIC_RESOURCE, op("segment.ms", "3600000", AlterConfigOp.OpType.SET), op("retention.bytes", null, AlterConfigOp.OpType.DELETE),
                op("cleanup.policy", "compact", AlterConfigOp.OpType.APPEND));
        Config config = describe(TOPIC_RESOURCE);
        assertThat(config.get("segment.ms").value()).isEqualTo("3600000");
        assertThat(config.get("retention.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");

        alter(TOPIC_RESOURCE, op("cleanup.policy", "delete", AlterConfigOp.OpType.SUBTRACT));
        assertThat(describe(TOPIC_RESOURCE).get("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void shouldChangeNothingWhenOnlyValidating() throws Exception {
        admin.incrementalAlterConfigs(Map.of(TOPIC_RESOURCE, List.of(op("retention.ms", "1000", AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all().get();

        assertThat(describe(TOPIC_RESOURCE).get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
    }

    @Test
    void shouldRefuseBadChangesWithKafkasErrorsAndKeepServing() throws Exception {
        assertAlterFails(TOPIC_RESOURCE, InvalidConfigurationException.class, op("no.such.config", "1", AlterConfigOp.OpType.SET));
        assertAlterFails(TOPIC_RESOURCE, InvalidConfigurationException.class, op("retention.ms", "soon", AlterConfigOp.OpType.SET));
        assertAlterFails(TOPIC_RESOURCE, InvalidConfigurationException.class, op("segment.bytes", "10", AlterConfigOp.OpType.SET));
        assertAlterFails(TOPIC_RESOURCE, InvalidConfigurationException.class, op("retention.ms", "5", AlterConfigOp.OpType.APPEND));
        assertAlterFails(TOPIC_RESOURCE, InvalidConfigurationException.class,
                op("leader.replication.throttled.replicas", "0:1,".repeat(4_500), AlterConfigOp.OpType.SET));
        assertAlterFails(TOPIC_RESOURCE, InvalidRequestException.class,
                op("retention.ms", "5", AlterConfigOp.OpType.SET), op("retention.ms", "6", AlterConfigOp.OpType.SET));
        assertAlterFails(new ConfigResource(ConfigResource.Type.TOPIC, "never-created"), UnknownTopicOrPartitionException.class,
                op("retention.ms", "5", AlterConfigOp.OpType.SET));
        assertAlterFails(THIS_BROKER, InvalidConfigurationException.class, op("some.plugin.setting", "x".repeat(17_000), AlterConfigOp.OpType.SET));
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("oversized", 1, (short) 1)
                .configs(Map.of("follower.replication.throttled.replicas", "0:1,".repeat(4_500))))).all().get())
                .hasCauseInstanceOf(InvalidConfigurationException.class);
        assertAlterFails(THIS_BROKER, InvalidRequestException.class, op("node.id", "5", AlterConfigOp.OpType.SET));
        assertAlterFails(THIS_BROKER, InvalidRequestException.class, op("log.retention.ms", "abc", AlterConfigOp.OpType.SET));
        assertAlterFails(DEFAULT_BROKER, InvalidRequestException.class, op("log.segment.bytes", "10", AlterConfigOp.OpType.SET));
        assertThatThrownBy(() -> describe(new ConfigResource(ConfigResource.Type.TOPIC, "never-created")))
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        assertThatThrownBy(() -> describe(new ConfigResource(ConfigResource.Type.TOPIC, "bad name!")))
                .hasCauseInstanceOf(InvalidTopicException.class);

        assertThat(describe(TOPIC_RESOURCE).get("retention.bytes").value()).isEqualTo("10000000");
        assertStillServes();
    }

    @Test
    void shouldAnswerAnotherBrokerIdAndUnsupportedResourcesPerResource() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            DescribeConfigsResponseData response = connection.call(ApiKeys.DESCRIBE_CONFIGS, (short) 4, new DescribeConfigsRequestData()
                    .setResources(List.of(describeResource(ConfigResource.Type.BROKER, "7"), describeResource(ConfigResource.Type.BROKER, "one"),
                            describeResource(ConfigResource.Type.GROUP, "g"), describeResource(ConfigResource.Type.TOPIC, TOPIC))));

            assertThat(response.results()).extracting(DescribeConfigsResponseData.DescribeConfigsResult::errorCode)
                    .containsExactly(Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code(), Errors.NONE.code());
        }
        assertStillServes();
    }

    @Test
    void shouldReplaceEveryOverrideWithLegacyAlterConfigs() throws Exception {
        AlterConfigsRequestData.AlterableConfigCollection configs = new AlterConfigsRequestData.AlterableConfigCollection();
        configs.add(new AlterConfigsRequestData.AlterableConfig().setName("segment.ms").setValue("7200000"));
        AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(TOPIC)
                .setConfigs(configs));
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            AlterConfigsResponseData response = connection.call(ApiKeys.ALTER_CONFIGS, (short) 2, new AlterConfigsRequestData().setResources(resources));
            assertThat(response.responses()).singleElement().satisfies(result -> assertThat(result.errorCode()).isZero());
        }

        Config config = describe(TOPIC_RESOURCE);
        assertThat(config.get("segment.ms").value()).isEqualTo("7200000");
        assertThat(config.get("retention.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void shouldApplyATopicChangeToTheLiveLogAndKeepItAcrossRestart() throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", "x".repeat(2_000))).get();

            alter(TOPIC_RESOURCE, op("max.message.bytes", "1000", AlterConfigOp.OpType.SET));

            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, "k", "x".repeat(2_000))).get())
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        }
        admin.close();
        broker.restart();
        admin = KafkaClients.admin(broker.bootstrapServers());

        assertThat(describe(TOPIC_RESOURCE).get("max.message.bytes").value()).isEqualTo("1000");
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, "k", "x".repeat(2_000))).get())
                    .hasCauseInstanceOf(RecordTooLargeException.class);
            producer.send(new ProducerRecord<>(TOPIC, "k", "small")).get();
        }
    }

    @Test
    void shouldApplyLowerRetentionToTheLiveLogWithoutRestart() throws Exception {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        alter(TOPIC_RESOURCE, op("segment.bytes", "1048576", AlterConfigOp.OpType.SET));
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("linger.ms", 0))) {
            for (int i = 0; i < 60; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "k", "x".repeat(100_000))).get();
            }
        }
        assertThat(earliestOffset(partition)).isZero();

        alter(TOPIC_RESOURCE, op("retention.bytes", "1048576", AlterConfigOp.OpType.SET));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(earliestOffset(partition)).isPositive());
        assertThat(TopicReader.readAll(broker.bootstrapServers(), TOPIC)).hasSizeLessThan(60);
    }

    @Test
    void shouldApplyADynamicBrokerDefaultToTopicsWithoutOverridesAndKeepItAcrossRestart() throws Exception {
        admin.createTopics(List.of(new NewTopic("plain", 1, (short) 1))).all().get();
        ConfigResource plain = new ConfigResource(ConfigResource.Type.TOPIC, "plain");

        alter(DEFAULT_BROKER, op("message.max.bytes", "1000", AlterConfigOp.OpType.SET));

        ConfigEntry maxMessageBytes = describe(plain).get("max.message.bytes");
        assertThat(maxMessageBytes.value()).isEqualTo("1000");
        assertThat(maxMessageBytes.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        assertThat(describe(DEFAULT_BROKER).entries()).extracting(ConfigEntry::name).containsExactly("message.max.bytes");
        assertThat(describe(TOPIC_RESOURCE).get("max.message.bytes").value()).isEqualTo("1000");
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("plain", "k", "x".repeat(2_000))).get())
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        }

        alter(THIS_BROKER, op("message.max.bytes", "5000", AlterConfigOp.OpType.SET));
        assertThat(describe(plain).get("max.message.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);
        admin.close();
        broker.restart();
        admin = KafkaClients.admin(broker.bootstrapServers());

        assertThat(describe(plain).get("max.message.bytes").value()).isEqualTo("5000");
        assertThat(describe(DEFAULT_BROKER).get("message.max.bytes").value()).isEqualTo("1000");
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>("plain", "k", "x".repeat(2_000))).get();
        }
    }

    @Test
    void shouldApplyDynamicCleanerDefaultsToTopicsWithoutOverrides() throws Exception {
        admin.createTopics(List.of(new NewTopic("plain", 1, (short) 1))).all().get();
        ConfigResource plain = new ConfigResource(ConfigResource.Type.TOPIC, "plain");

        alter(DEFAULT_BROKER, op("log.cleanup.policy", "compact", AlterConfigOp.OpType.SET),
                op("log.cleaner.min.cleanable.ratio", "0.2", AlterConfigOp.OpType.SET),
                op("log.cleaner.delete.retention.ms", "1000", AlterConfigOp.OpType.SET),
                op("log.cleaner.min.compaction.lag.ms", "2000", AlterConfigOp.OpType.SET),
                op("log.cleaner.max.compaction.lag.ms", "3000", AlterConfigOp.OpType.SET));

        Config described = describe(plain);
        assertThat(described.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(described.get("cleanup.policy").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        assertThat(described.get("min.cleanable.dirty.ratio").value()).isEqualTo("0.2");
        assertThat(described.get("delete.retention.ms").value()).isEqualTo("1000");
        assertThat(described.get("min.compaction.lag.ms").value()).isEqualTo("2000");
        assertThat(described.get("max.compaction.lag.ms").value()).isEqualTo("3000");
        // the live policy, not just its description: a compacted-only topic refuses DeleteRecords
        TopicPartition partition = new TopicPartition("plain", 0);
        assertThatThrownBy(() -> admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(0))).all().get())
                .hasCauseInstanceOf(PolicyViolationException.class);
    }

    private long earliestOffset(TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).partitionResult(partition).get().offset();
    }

    private void assertStillServes() {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(TOPIC, "after", "errors")).get();
        } catch (ExecutionException | InterruptedException e) {
            throw new AssertionError("the broker no longer serves", e);
        }
        assertThat(TopicReader.readAll(broker.bootstrapServers(), TOPIC)).extracting(r -> r.value()).contains("errors");
    }

    private static DescribeConfigsRequestData.DescribeConfigsResource describeResource(ConfigResource.Type type, String name) {
        return new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type.id()).setResourceName(name).setConfigurationKeys(null);
    }

    private Config describe(ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)).all().get().get(resource);
    }

    private void alter(ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.<AlterConfigOp>of(ops))).all().get();
    }

    private void assertAlterFails(ConfigResource resource, Class<? extends Exception> error, AlterConfigOp... ops) {
        Map<ConfigResource, Collection<AlterConfigOp>> request = Map.of(resource, List.of(ops));
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(request).all().get()).hasCauseInstanceOf(error);
    }

    private static AlterConfigOp op(String name, String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(name, value), type);
    }
}
