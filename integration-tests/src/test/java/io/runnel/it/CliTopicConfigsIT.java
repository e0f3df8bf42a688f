package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.Cli;
import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.EmbeddedBrokerExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code runnel topic describe} configs and {@code runnel topic alter}: they need the broker's
 * DescribeConfigs, IncrementalAlterConfigs and CreatePartitions.
 */
class CliTopicConfigsIT {

    @RegisterExtension
    final EmbeddedBrokerExtension runnel = EmbeddedBrokerExtension.withConfig(Map.of("auto.create.topics.enable", "false"));

    private EmbeddedBroker broker;
    private Admin admin;
    private Cli cli;

    @BeforeEach
    void start() {
        broker = runnel.broker();
        admin = KafkaClients.admin(broker.bootstrapServers());
        cli = Cli.against(broker.bootstrapServers());
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void shouldDescribeTheTopicsNonDefaultConfigs() {
        cli.runnel("topic", "create", "configured", "--config", "retention.ms=3600000", "--config", "cleanup.policy=compact");

        Cli.Result result = cli.runnel("topic", "describe", "configured");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines().get(1)).startsWith("Configs: ")
                .contains("cleanup.policy=compact").contains("retention.ms=3600000").doesNotContain("segment.bytes");
    }

    @Test
    void shouldSetAndDeleteTopicConfigs() throws Exception {
        cli.runnel("topic", "create", "altered", "--config", "cleanup.policy=compact");

        Cli.Result result = cli.runnel("topic", "alter", "altered", "--config", "retention.ms=1000", "--delete-config", "cleanup.policy");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Altered topic altered: retention.ms=1000, deleted cleanup.policy.");
        Config config = topicConfig("altered");
        assertThat(config.get("retention.ms").value()).isEqualTo("1000");
        assertThat(config.get("cleanup.policy").source()).isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    @Test
    void shouldRaiseThePartitionCount() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), "grown", 1);

        Cli.Result result = cli.runnel("topic", "alter", "grown", "--partitions", "3");

        assertThat(result.exitCode()).isZero();
        assertThat(admin.describeTopics(List.of("grown")).allTopicNames().get().get("grown").partitions()).hasSize(3);
    }

    @Test
    void shouldReportThatPartitionsCannotBeRemovedInOneLine() {
        KafkaClients.createTopic(broker.bootstrapServers(), "shrunk", 3);

        Cli.Result result = cli.runnel("topic", "alter", "shrunk", "--partitions", "2");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().startsWith("runnel: ");
    }

    @Test
    void shouldReportAnInvalidConfigValueInOneLine() {
        KafkaClients.createTopic(broker.bootstrapServers(), "invalid", 1);

        Cli.Result result = cli.runnel("topic", "alter", "invalid", "--config", "retention.ms=soon");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().startsWith("runnel: ").contains("retention.ms");
    }

    @Test
    void shouldSayThatATopicToAlterDoesNotExistUnlessIfExistsIsGiven() {
        Cli.Result missing = cli.runnel("topic", "alter", "missing", "--config", "retention.ms=1000");
        Cli.Result ifExists = cli.runnel("topic", "alter", "missing", "--config", "retention.ms=1000", "--if-exists");

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.errLines()).containsExactly("runnel: Topic 'missing' does not exist.");
        assertThat(ifExists.exitCode()).isZero();
    }

    private Config topicConfig(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
