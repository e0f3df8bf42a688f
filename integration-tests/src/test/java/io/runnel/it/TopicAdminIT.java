package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CreateTopics, DeleteTopics and Metadata through Admin, with Kafka's errors for bad requests. */
class TopicAdminIT {

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("auto.create.topics.enable", "false"));
        admin = KafkaClients.admin(broker.bootstrapServers());
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldCreateATopicWithItsPartitionsAndConfigs() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(
                new NewTopic("created", 4, (short) 1).configs(Map.of("retention.ms", "3600000", "cleanup.policy", "delete"))));

        assertThat(result.numPartitions("created").get()).isEqualTo(4);
        assertThat(result.config("created").get().get("retention.ms").value()).isEqualTo("3600000");
        TopicDescription description = describe("created");
        assertThat(description.partitions()).hasSize(4);
        assertThat(description.partitions()).allSatisfy(partition -> {
            assertThat(partition.leader().id()).isEqualTo(1);
            assertThat(partition.replicas()).hasSize(1);
            assertThat(partition.isr()).hasSize(1);
        });
        assertThat(admin.listTopics().names().get()).contains("created");
    }

    @Test
    void shouldCreateNothingWhenOnlyValidating() throws Exception {
        admin.createTopics(List.of(new NewTopic("validated", 2, (short) 1)), new CreateTopicsOptions().validateOnly(true)).all().get();

        assertThat(admin.listTopics().names().get()).doesNotContain("validated");
        assertThatThrownBy(() -> describe("validated")).hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldRefuseToCreateATopicThatExists() throws Exception {
        admin.createTopics(List.of(new NewTopic("twice", 1, (short) 1))).all().get();

        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("twice", 1, (short) 1))).all().get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicExistsException.class);
    }

    static List<String> invalidTopicNames() {
        return List.of("bad/name", ".", "..", "t".repeat(250), "with space");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("invalidTopicNames")
    void shouldRefuseAnInvalidTopicName(String name) {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidTopicException.class);
    }

    @Test
    void shouldRefuseAnUnknownTopicConfig() throws Exception {
        assertThatThrownBy(() -> admin.createTopics(List.of(
                new NewTopic("configured", 1, (short) 1).configs(Map.of("no.such.config", "1")))).all().get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidConfigurationException.class);
        assertThat(admin.listTopics().names().get()).doesNotContain("configured");
    }

    @Test
    void shouldRefuseAnInvalidTopicConfigValue() {
        assertThatThrownBy(() -> admin.createTopics(List.of(
                new NewTopic("configured", 1, (short) 1).configs(Map.of("retention.ms", "soon")))).all().get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void shouldForgetADeletedTopic() throws Exception {
        admin.createTopics(List.of(new NewTopic("deleted", 2, (short) 1))).all().get();

        admin.deleteTopics(List.of("deleted")).all().get();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThatThrownBy(() -> describe("deleted")).hasCauseInstanceOf(UnknownTopicOrPartitionException.class));
        assertThat(admin.listTopics().names().get()).doesNotContain("deleted");
    }

    @Test
    void shouldRefuseToDeleteAnUnknownTopic() {
        assertThatThrownBy(() -> admin.deleteTopics(List.of("never-created")).all().get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldKeepANonZeroTopicIdAcrossRestart() throws Exception {
        admin.createTopics(List.of(new NewTopic("identified", 1, (short) 1))).all().get();
        Uuid idBeforeRestart = describe("identified").topicId();
        admin.close();

        broker.restart();
        admin = KafkaClients.admin(broker.bootstrapServers());

        assertThat(idBeforeRestart).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(describe("identified").topicId()).isEqualTo(idBeforeRestart);
    }

    private TopicDescription describe(String topic) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }
}
