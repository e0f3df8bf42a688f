package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.DegradedCluster;
import io.runnel.it.support.KafkaTools;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka 4.3.1's own command-line tools, unchanged, against Runnel: kafka-topics,
 * kafka-configs, the console producer and consumer, kafka-consumer-groups, kafka-get-offsets,
 * kafka-delete-records, kafka-metadata-quorum and kafka-log-dirs, run as their scripts run them (their main classes, on the classpath Maven
 * fetched into kafka-tools/target/libs), in one separate JVM to keep the test quick.
 */
class KafkaToolsIT {

    private static final String TOPIC = "tools";
    private static final String GROUP = "tools-group";
    private static final String TOPIC_COMMAND = "org.apache.kafka.tools.TopicCommand";
    private static final String CONFIG_COMMAND = "kafka.admin.ConfigCommand";
    private static final String QUORUM_COMMAND = "org.apache.kafka.tools.MetadataQuorumCommand";

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private KafkaTools tools;

    @BeforeEach
    void start() {
        tools = new KafkaTools(tempDir, "tools");
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "3"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldWorkWithKafkasCommandLineTools() throws Exception {
        String bootstrap = broker.bootstrapServers();
        Path deletion = tempDir.resolve("delete-records.json");
        Files.writeString(deletion, "{\"version\":1,\"partitions\":[{\"topic\":\"tools\",\"partition\":0,\"offset\":-1},"
                + "{\"topic\":\"tools\",\"partition\":1,\"offset\":-1},{\"topic\":\"tools\",\"partition\":2,\"offset\":-1}]}");
        int create = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--create", "--topic", TOPIC, "--partitions", "2",
                "--replication-factor", "1", "--config", "retention.ms=3600000");
        int alterPartitions = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--alter", "--topic", TOPIC, "--partitions", "3");
        int describeTopic = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--topic", TOPIC);
        int alterTopicConfig = tools.step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--alter", "--entity-type", "topics", "--entity-name", TOPIC,
                "--add-config", "max.message.bytes=200000,cleanup.policy=[delete]");
        int describeTopicConfig = tools.step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "topics", "--entity-name", TOPIC);
        int alterDefault = tools.step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--alter", "--entity-type", "brokers", "--entity-default",
                "--add-config", "log.retention.ms=86400000");
        int describeDefault = tools.step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "brokers", "--entity-default");
        int describeBroker = tools.step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "brokers", "--entity-name", "1", "--all");
        int produce = tools.stepWithInput("k1:one\nk2:two\nk3:three\n", "org.apache.kafka.tools.ConsoleProducer", "--bootstrap-server", bootstrap,
                "--topic", TOPIC, "--reader-property", "parse.key=true", "--reader-property", "key.separator=:");
        int consume = tools.step("org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server", bootstrap, "--topic", TOPIC,
                "--group", GROUP, "--from-beginning", "--max-messages", "3", "--timeout-ms", "60000", "--formatter-property", "print.key=true",
                "--formatter-property", "key.separator==");
        int describeGroup = tools.step("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", "--bootstrap-server", bootstrap,
                "--describe", "--group", GROUP);
        int latestOffsets = tools.step("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", bootstrap, "--topic", TOPIC);
        int deleteRecords = tools.step("org.apache.kafka.tools.DeleteRecordsCommand", "--bootstrap-server", bootstrap,
                "--offset-json-file", deletion.toString());
        int earliestOffsets = tools.step("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", bootstrap, "--topic", TOPIC, "--time", "-2");
        int deleteTopic = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--delete", "--topic", TOPIC);
        int list = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--list");
        int quorumStatus = tools.step(QUORUM_COMMAND, "--bootstrap-server", bootstrap, "describe", "--status");
        int quorumReplication = tools.step(QUORUM_COMMAND, "--bootstrap-server", bootstrap, "describe", "--replication");

        KafkaTools.Output output = tools.run().assertEveryStepSucceeded();

        assertThat(output.of(create)).contains("Created topic tools.");
        assertThat(output.of(alterPartitions)).isEmpty();
        assertThat(String.join("\n", output.of(describeTopic))).contains("PartitionCount: 3", "retention.ms=3600000", "Leader: 1");
        assertThat(output.of(alterTopicConfig)).contains("Completed updating config for topic tools.");
        assertThat(String.join("\n", output.of(describeTopicConfig))).contains("max.message.bytes=200000", "retention.ms=3600000");
        assertThat(output.of(alterDefault)).contains("Completed updating default config for brokers in the cluster.");
        assertThat(String.join("\n", output.of(describeDefault))).contains("log.retention.ms=86400000");
        assertThat(String.join("\n", output.of(describeBroker))).contains("node.id=1", "log.retention.ms=86400000");
        assertThat(output.of(produce)).isEmpty();
        assertThat(output.of(consume)).filteredOn(line -> !line.startsWith("Processed"))
                .containsExactlyInAnyOrder("k1=one", "k2=two", "k3=three");
        assertThat(String.join("\n", output.of(describeGroup))).contains(GROUP, TOPIC);
        List<String> latest = output.of(latestOffsets);
        assertThat(latest).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("tools:"));
        assertThat(latest.stream().mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(':') + 1))).sum()).isEqualTo(3);
        assertThat(output.of(deleteRecords)).anySatisfy(line -> assertThat(line).contains("low_watermark"));
        assertThat(output.of(earliestOffsets)).containsExactlyInAnyOrderElementsOf(latest);
        assertThat(output.of(deleteTopic)).isEmpty();
        assertThat(output.of(list)).doesNotContain(TOPIC);
        List<String> status = output.of(quorumStatus);
        assertThat(status).anySatisfy(line -> assertThat(line).matches("LeaderId: +1"))
                .anySatisfy(line -> assertThat(line).matches("LeaderEpoch: +1"))
                .anySatisfy(line -> assertThat(line).matches("MaxFollowerLag: +0"))
                .anySatisfy(line -> assertThat(line).matches("CurrentObservers: +\\[\\]"))
                .anySatisfy(line -> assertThat(line).matches("ClusterId: +[A-Za-z0-9_-]{22}"))
                .anySatisfy(line -> assertThat(line).matches("HighWatermark: +[1-9][0-9]*"))
                .anySatisfy(line -> assertThat(line).startsWith("CurrentVoters:").contains("\"id\": 1"));
        assertThat(output.of(quorumReplication)).anySatisfy(line -> assertThat(line).matches("NodeId\\s+DirectoryId\\s+LogEndOffset\\s+Lag\\s.*"))
                .anySatisfy(line -> assertThat(line).matches("1\\s+\\S+\\s+[1-9][0-9]*\\s+0\\s+\\d+\\s+\\d+\\s+Leader"));
    }

    @Test
    void shouldShowAThreeNodeClusterThroughKafkasTools() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, Map.of())) {
            int create = tools.step(TOPIC_COMMAND, "--bootstrap-server", cluster.bootstrapServers(2), "--create", "--topic", "spread",
                    "--partitions", "6", "--replication-factor", "1");
            int describe = tools.step(TOPIC_COMMAND, "--bootstrap-server", cluster.bootstrapServers(3), "--describe", "--topic", "spread");
            int status = tools.step(QUORUM_COMMAND, "--bootstrap-server", cluster.bootstrapServers(1), "describe", "--status");
            int replication = tools.step(QUORUM_COMMAND, "--bootstrap-server", cluster.bootstrapServers(2), "describe", "--replication");

            KafkaTools.Output output = tools.run().assertEveryStepSucceeded();

            assertThat(output.of(create)).contains("Created topic spread.");
            String topic = String.join("\n", output.of(describe));
            assertThat(topic).contains("PartitionCount: 6", "Leader: 1", "Leader: 2", "Leader: 3");
            assertThat(output.of(status)).anySatisfy(line -> assertThat(line).matches("LeaderId: +[123]"))
                    .anySatisfy(line -> assertThat(line).startsWith("CurrentVoters:").contains("\"id\": 1", "\"id\": 2", "\"id\": 3"));
            List<String> rows = output.of(replication);
            assertThat(rows).anySatisfy(line -> assertThat(line).matches("[123]\\s+.*Leader"))
                    .filteredOn(line -> line.matches("[123]\\s+.*Follower")).hasSize(2);
        }
    }

    @Test
    void shouldListPartitionsByReplicaStateAndLogDirsThroughKafkasToolsWithABrokerDown() throws Exception {
        try (DegradedCluster degraded = DegradedCluster.start(tempDir.resolve("degraded"))) {
            String bootstrap = degraded.bootstrapServers();
            int underReplicated = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--under-replicated-partitions");
            int underMinIsr = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--under-min-isr-partitions");
            int atMinIsr = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--at-min-isr-partitions");
            int unavailable = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--unavailable-partitions");
            int describe = tools.step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--topic", DegradedCluster.AT_MIN_ISR);
            int logDirs = tools.step("org.apache.kafka.tools.LogDirsCommand", "--bootstrap-server", bootstrap, "--describe", "--broker-list", "1,2",
                    "--topic-list", DegradedCluster.AT_MIN_ISR + "," + DegradedCluster.HEALTHY);

            KafkaTools.Output output = tools.run().assertEveryStepSucceeded();

            // The offline partition's only replica moved from the ISR to the ELR (KIP-966), so it is under-replicated too.
            assertThat(topicsListed(output.of(underReplicated)))
                    .containsExactlyInAnyOrder(DegradedCluster.AT_MIN_ISR, DegradedCluster.UNDER_MIN_ISR, DegradedCluster.MOVED, DegradedCluster.OFFLINE);
            assertThat(topicsListed(output.of(underMinIsr))).containsExactlyInAnyOrder(DegradedCluster.UNDER_MIN_ISR, DegradedCluster.OFFLINE);
            assertThat(topicsListed(output.of(atMinIsr))).containsExactlyInAnyOrder(DegradedCluster.AT_MIN_ISR);
            assertThat(output.of(unavailable)).singleElement().asString()
                    .contains("Topic: " + DegradedCluster.OFFLINE, "Leader: none", "Replicas: 3", "Elr: 3");
            // "Elr: N/A" would mean the tool fell back to Metadata: DescribeTopicPartitions answered.
            assertThat(output.of(describe)).anySatisfy(line -> assertThat(line).contains("Leader: 1", "Replicas: 1,2,3", "Isr: 1,2", "Elr:")
                    .doesNotContain("N/A"));
            String dirs = String.join("\n", output.of(logDirs));
            assertThat(dirs).contains("\"broker\":1", "\"broker\":2", "\"partition\":\"at-min-0\"", "\"partition\":\"healthy-0\"",
                    "\"offsetLag\":0", "\"isFuture\":false").doesNotContain("\"offsetLag\":-1");
        }
    }

    /** The topics of the partition lines kafka-topics printed, one per line. */
    private static List<String> topicsListed(List<String> lines) {
        return lines.stream().map(line -> line.replaceFirst("^Topic: (\\S+)\\s.*$", "$1")).toList();
    }
}
