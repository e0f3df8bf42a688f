package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.Cli;
import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.EmbeddedBrokerExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code runnel topic create|list|describe|delete} against a broker, and their answers to mistakes. */
class CliTopicIT {

    @RegisterExtension
    final EmbeddedBrokerExtension runnel = EmbeddedBrokerExtension.withConfig(Map.of("auto.create.topics.enable", "false"));

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void start() {
        broker = runnel.broker();
        admin = KafkaClients.admin(broker.bootstrapServers());
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void shouldCreateATopicWithItsPartitions() throws Exception {
        Cli.Result result = runnel("topic", "create", "orders", "--partitions", "3", "--config", "retention.ms=3600000");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Created topic orders.");
        TopicDescription description = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
        assertThat(description.partitions()).hasSize(3);
    }

    @Test
    void shouldCreateATopicWithTheBrokersDefaultPartitions() throws Exception {
        assertThat(runnel("topic", "create", "defaults").exitCode()).isZero();

        assertThat(admin.describeTopics(List.of("defaults")).allTopicNames().get().get("defaults").partitions()).hasSize(1);
    }

    @Test
    void shouldRefuseToCreateATopicThatExistsWithOneLineAndExitCodeOne() {
        KafkaClients.createTopic(broker.bootstrapServers(), "twice", 1);

        Cli.Result result = runnel("topic", "create", "twice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("runnel: Topic 'twice' already exists.");
    }

    @Test
    void shouldSucceedQuietlyWhenTheTopicExistsAndIfNotExistsIsGiven() {
        KafkaClients.createTopic(broker.bootstrapServers(), "twice", 1);

        Cli.Result result = runnel("topic", "create", "twice", "--if-not-exists");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldReportAnInvalidPartitionCountFromTheBroker() {
        Cli.Result result = runnel("topic", "create", "none", "--partitions", "0");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().startsWith("runnel: ");
    }

    @Test
    void shouldRefuseAnInvalidTopicNameWithOneLine() {
        Cli.Result result = runnel("topic", "create", "bad/name");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().startsWith("runnel: ").contains("bad/name");
    }

    @Test
    void shouldListTopicNamesOnePerLineSorted() {
        KafkaClients.createTopic(broker.bootstrapServers(), "zebra", 1);
        KafkaClients.createTopic(broker.bootstrapServers(), "apple", 2);

        Cli.Result result = runnel("topic", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("apple", "zebra");
    }

    @Test
    void shouldDescribePartitionsLeadersReplicasAndOffsets() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), "described", 2);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>("described", 1, "k", "a")).get();
            producer.send(new ProducerRecord<>("described", 1, "k", "b")).get();
        }

        Cli.Result result = runnel("topic", "describe", "described");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines().get(0)).startsWith("Topic: described  Id: ").endsWith("Partitions: 2  Replication factor: 1");
        assertThat(result.outLines().get(1)).startsWith("Configs: ");
        assertThat(result.outLines().subList(2, 5)).containsExactly(
                "PARTITION  LEADER  EPOCH  REPLICAS  ISR  ELR  LOG-START-OFFSET  LOG-END-OFFSET  STATE",
                "0          1       0      1         1    -    0                 0               ok",
                "1          1       0      1         1    -    0                 2               ok");
    }

    @Test
    void shouldDescribeEveryTopicWithoutNames() {
        KafkaClients.createTopic(broker.bootstrapServers(), "one", 1);
        KafkaClients.createTopic(broker.bootstrapServers(), "two", 1);

        Cli.Result result = runnel("topic", "describe");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).filteredOn(line -> line.startsWith("Topic: "))
                .satisfiesExactly(line -> assertThat(line).startsWith("Topic: one "), line -> assertThat(line).startsWith("Topic: two "));
    }

    @Test
    void shouldSayThatATopicToDescribeDoesNotExist() {
        Cli.Result result = runnel("topic", "describe", "missing");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("runnel: Topic 'missing' does not exist.");
    }

    @Test
    void shouldDeleteTopics() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), "doomed", 1);
        KafkaClients.createTopic(broker.bootstrapServers(), "kept", 1);

        Cli.Result result = runnel("topic", "delete", "doomed");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Deleted topic doomed.");
        assertThat(admin.listTopics().names().get()).containsExactly("kept");
    }

    @Test
    void shouldSayThatATopicToDeleteDoesNotExistUnlessIfExistsIsGiven() {
        Cli.Result missing = runnel("topic", "delete", "missing");
        Cli.Result ifExists = runnel("topic", "delete", "missing", "--if-exists");

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.errLines()).containsExactly("runnel: Topic 'missing' does not exist.");
        assertThat(ifExists.exitCode()).isZero();
        assertThat(ifExists.err()).isEmpty();
    }

    @Test
    void shouldCallAnAlterWithoutChangesAUsageError() {
        KafkaClients.createTopic(broker.bootstrapServers(), "unchanged", 1);

        Cli.Result result = runnel("topic", "alter", "unchanged");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().startsWith("runnel: Nothing to change");
    }

    @Test
    void shouldCallAMissingTopicNameAUsageError() {
        Cli.Result result = runnel("topic", "create");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly(
                "runnel: Missing required parameter: 'topic'; see 'runnel topic create --help'");
    }

    @Test
    void shouldCallAPartitionCountThatIsNotANumberAUsageError() {
        Cli.Result result = runnel("topic", "create", "t", "--partitions", "many");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().startsWith("runnel: Invalid value for option '--partitions'");
    }

    private Cli.Result runnel(String... args) {
        return Cli.against(broker.bootstrapServers()).runnel(args);
    }
}
