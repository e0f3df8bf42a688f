package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.DegradedCluster;
import io.runnel.it.support.ToolScript;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.EmbeddedCluster;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
    private static final long TOOLS_TIMEOUT_MINUTES = 4;

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private final List<String[]> steps = new ArrayList<>();
    private final List<String> stdins = new ArrayList<>();

    @BeforeEach
    void start() {
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
        int create = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--create", "--topic", TOPIC, "--partitions", "2",
                "--replication-factor", "1", "--config", "retention.ms=3600000");
        int alterPartitions = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--alter", "--topic", TOPIC, "--partitions", "3");
        int describeTopic = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--topic", TOPIC);
        int alterTopicConfig = step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--alter", "--entity-type", "topics", "--entity-name", TOPIC,
                "--add-config", "max.message.bytes=200000,cleanup.policy=[delete]");
        int describeTopicConfig = step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "topics", "--entity-name", TOPIC);
        int alterDefault = step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--alter", "--entity-type", "brokers", "--entity-default",
                "--add-config", "log.retention.ms=86400000");
        int describeDefault = step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "brokers", "--entity-default");
        int describeBroker = step(CONFIG_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "brokers", "--entity-name", "1", "--all");
        int produce = stepWithInput("k1:one\nk2:two\nk3:three\n", "org.apache.kafka.tools.ConsoleProducer", "--bootstrap-server", bootstrap,
                "--topic", TOPIC, "--reader-property", "parse.key=true", "--reader-property", "key.separator=:");
        int consume = step("org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server", bootstrap, "--topic", TOPIC,
                "--group", GROUP, "--from-beginning", "--max-messages", "3", "--timeout-ms", "60000", "--formatter-property", "print.key=true",
                "--formatter-property", "key.separator==");
        int describeGroup = step("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", "--bootstrap-server", bootstrap,
                "--describe", "--group", GROUP);
        int latestOffsets = step("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", bootstrap, "--topic", TOPIC);
        int deleteRecords = step("org.apache.kafka.tools.DeleteRecordsCommand", "--bootstrap-server", bootstrap,
                "--offset-json-file", deletion.toString());
        int earliestOffsets = step("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", bootstrap, "--topic", TOPIC, "--time", "-2");
        int deleteTopic = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--delete", "--topic", TOPIC);
        int list = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--list");
        int quorumStatus = step(QUORUM_COMMAND, "--bootstrap-server", bootstrap, "describe", "--status");
        int quorumReplication = step(QUORUM_COMMAND, "--bootstrap-server", bootstrap, "describe", "--replication");

        List<String> output = runAll();

        assertThat(outputOf(output, create)).contains("Created topic tools.");
        assertThat(outputOf(output, alterPartitions)).isEmpty();
        assertThat(String.join("\n", outputOf(output, describeTopic))).contains("PartitionCount: 3", "retention.ms=3600000", "Leader: 1");
        assertThat(outputOf(output, alterTopicConfig)).contains("Completed updating config for topic tools.");
        assertThat(String.join("\n", outputOf(output, describeTopicConfig))).contains("max.message.bytes=200000", "retention.ms=3600000");
        assertThat(outputOf(output, alterDefault)).contains("Completed updating default config for brokers in the cluster.");
        assertThat(String.join("\n", outputOf(output, describeDefault))).contains("log.retention.ms=86400000");
        assertThat(String.join("\n", outputOf(output, describeBroker))).contains("node.id=1", "log.retention.ms=86400000");
        assertThat(outputOf(output, produce)).isEmpty();
        assertThat(outputOf(output, consume)).filteredOn(line -> !line.startsWith("Processed"))
                .containsExactlyInAnyOrder("k1=one", "k2=two", "k3=three");
        assertThat(String.join("\n", outputOf(output, describeGroup))).contains(GROUP, TOPIC);
        List<String> latest = outputOf(output, latestOffsets);
        assertThat(latest).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("tools:"));
        assertThat(latest.stream().mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(':') + 1))).sum()).isEqualTo(3);
        assertThat(outputOf(output, deleteRecords)).anySatisfy(line -> assertThat(line).contains("low_watermark"));
        assertThat(outputOf(output, earliestOffsets)).containsExactlyInAnyOrderElementsOf(latest);
        assertThat(outputOf(output, deleteTopic)).isEmpty();
        assertThat(outputOf(output, list)).doesNotContain(TOPIC);
        List<String> status = outputOf(output, quorumStatus);
        assertThat(status).anySatisfy(line -> assertThat(line).matches("LeaderId: +1"))
                .anySatisfy(line -> assertThat(line).matches("LeaderEpoch: +1"))
                .anySatisfy(line -> assertThat(line).matches("MaxFollowerLag: +0"))
                .anySatisfy(line -> assertThat(line).matches("CurrentObservers: +\\[\\]"))
                .anySatisfy(line -> assertThat(line).matches("ClusterId: +[A-Za-z0-9_-]{22}"))
                .anySatisfy(line -> assertThat(line).matches("HighWatermark: +[1-9][0-9]*"))
                .anySatisfy(line -> assertThat(line).startsWith("CurrentVoters:").contains("\"id\": 1"));
        assertThat(outputOf(output, quorumReplication)).anySatisfy(line -> assertThat(line).matches("NodeId\\s+DirectoryId\\s+LogEndOffset\\s+Lag\\s.*"))
                .anySatisfy(line -> assertThat(line).matches("1\\s+\\S+\\s+[1-9][0-9]*\\s+0\\s+\\d+\\s+\\d+\\s+Leader"));
    }

    @Test
    void shouldShowAThreeNodeClusterThroughKafkasTools() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, Map.of())) {
            int create = step(TOPIC_COMMAND, "--bootstrap-server", cluster.bootstrapServers(2), "--create", "--topic", "spread",
                    "--partitions", "6", "--replication-factor", "1");
            int describe = step(TOPIC_COMMAND, "--bootstrap-server", cluster.bootstrapServers(3), "--describe", "--topic", "spread");
            int status = step(QUORUM_COMMAND, "--bootstrap-server", cluster.bootstrapServers(1), "describe", "--status");
            int replication = step(QUORUM_COMMAND, "--bootstrap-server", cluster.bootstrapServers(2), "describe", "--replication");

            List<String> output = runAll();

            assertThat(outputOf(output, create)).contains("Created topic spread.");
            String topic = String.join("\n", outputOf(output, describe));
            assertThat(topic).contains("PartitionCount: 6", "Leader: 1", "Leader: 2", "Leader: 3");
            assertThat(outputOf(output, status)).anySatisfy(line -> assertThat(line).matches("LeaderId: +[123]"))
                    .anySatisfy(line -> assertThat(line).startsWith("CurrentVoters:").contains("\"id\": 1", "\"id\": 2", "\"id\": 3"));
            List<String> rows = outputOf(output, replication);
            assertThat(rows).anySatisfy(line -> assertThat(line).matches("[123]\\s+.*Leader"))
                    .filteredOn(line -> line.matches("[123]\\s+.*Follower")).hasSize(2);
        }
    }

    @Test
    void shouldListPartitionsByReplicaStateAndLogDirsThroughKafkasToolsWithABrokerDown() throws Exception {
        try (DegradedCluster degraded = DegradedCluster.start(tempDir.resolve("degraded"))) {
            String bootstrap = degraded.bootstrapServers();
            int underReplicated = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--under-replicated-partitions");
            int underMinIsr = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--under-min-isr-partitions");
            int atMinIsr = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--at-min-isr-partitions");
            int unavailable = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--unavailable-partitions");
            int describe = step(TOPIC_COMMAND, "--bootstrap-server", bootstrap, "--describe", "--topic", DegradedCluster.AT_MIN_ISR);
            int logDirs = step("org.apache.kafka.tools.LogDirsCommand", "--bootstrap-server", bootstrap, "--describe", "--broker-list", "1,2",
                    "--topic-list", DegradedCluster.AT_MIN_ISR + "," + DegradedCluster.HEALTHY);

            List<String> output = runAll();

            // The offline partition's only replica moved from the ISR to the ELR (KIP-966), so it is under-replicated too.
            assertThat(topicsListed(outputOf(output, underReplicated)))
                    .containsExactlyInAnyOrder(DegradedCluster.AT_MIN_ISR, DegradedCluster.UNDER_MIN_ISR, DegradedCluster.MOVED, DegradedCluster.OFFLINE);
            assertThat(topicsListed(outputOf(output, underMinIsr))).containsExactlyInAnyOrder(DegradedCluster.UNDER_MIN_ISR, DegradedCluster.OFFLINE);
            assertThat(topicsListed(outputOf(output, atMinIsr))).containsExactlyInAnyOrder(DegradedCluster.AT_MIN_ISR);
            assertThat(outputOf(output, unavailable)).singleElement().asString()
                    .contains("Topic: " + DegradedCluster.OFFLINE, "Leader: none", "Replicas: 3", "Elr: 3");
            // "Elr: N/A" would mean the tool fell back to Metadata: DescribeTopicPartitions answered.
            assertThat(outputOf(output, describe)).anySatisfy(line -> assertThat(line).contains("Leader: 1", "Replicas: 1,2,3", "Isr: 1,2", "Elr:")
                    .doesNotContain("N/A"));
            String dirs = String.join("\n", outputOf(output, logDirs));
            assertThat(dirs).contains("\"broker\":1", "\"broker\":2", "\"partition\":\"at-min-0\"", "\"partition\":\"healthy-0\"",
                    "\"offsetLag\":0", "\"isFuture\":false").doesNotContain("\"offsetLag\":-1");
        }
    }

    /** The topics of the partition lines kafka-topics printed, one per line. */
    private static List<String> topicsListed(List<String> lines) {
        return lines.stream().map(line -> line.replaceFirst("^Topic: (\\S+)\\s.*$", "$1")).toList();
    }

    private int step(String mainClass, String... args) {
        return stepWithInput("", mainClass, args);
    }

    private int stepWithInput(String stdin, String mainClass, String... args) {
        String[] step = new String[args.length + 1];
        step[0] = mainClass;
        System.arraycopy(args, 0, step, 1, args.length);
        steps.add(step);
        stdins.add(stdin);
        return steps.size() - 1;
    }

    /** Runs every step in one JVM and returns its standard output; fails if any tool exits non-zero. */
    private List<String> runAll() throws IOException, InterruptedException, java.net.URISyntaxException {
        Path script = tempDir.resolve("tools.properties");
        Properties properties = new Properties();
        for (int i = 0; i < steps.size(); i++) {
            String[] step = steps.get(i);
            properties.setProperty("step." + i + ".main", step[0]);
            properties.setProperty("step." + i + ".args", String.join("\t", List.of(step).subList(1, step.length)));
            properties.setProperty("step." + i + ".stdin", stdins.get(i));
        }
        try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
            properties.store(writer, "KafkaToolsIT");
        }
        Path libs = Path.of(System.getProperty("kafka.tools.libs", "../kafka-tools/target/libs"));
        Path ownClasses = Path.of(ToolScript.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path reports = Files.createDirectories(Path.of("target", "kafka-tools-output"));
        Path stdout = reports.resolve("tools.out");
        Path stderr = reports.resolve("tools.err");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", ownClasses + java.io.File.pathSeparator + libs.toAbsolutePath() + "/*", ToolScript.class.getName(), script.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(TOOLS_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("Kafka's tools did not finish in " + TOOLS_TIMEOUT_MINUTES + " minutes; output:\n"
                    + Files.readString(stdout) + "\nerrors:\n" + Files.readString(stderr));
        }
        List<String> lines = Files.readAllLines(stdout);
        for (int i = 0; i < steps.size(); i++) {
            assertThat(lines).as("tool %s %s exits 0; output:%n%s%nerrors:%n%s", steps.get(i)[0], List.of(steps.get(i)),
                    String.join("\n", lines), Files.readString(stderr)).contains(ToolScript.MARKER + i + " exit 0");
        }
        return lines;
    }

    /** The lines step {@code index} printed: after the previous step's marker, before its own. */
    private static List<String> outputOf(List<String> output, int index) {
        int start = index == 0 ? 0 : output.indexOf(ToolScript.MARKER + (index - 1) + " exit 0") + 1;
        int end = output.indexOf(ToolScript.MARKER + index + " exit 0");
        return output.subList(start, end).stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
