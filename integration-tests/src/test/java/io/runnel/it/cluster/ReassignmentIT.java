package io.runnel.it.cluster;

import static io.runnel.it.support.ReadBackAssertions.assertEveryAcknowledgedRecordAtItsOffset;
import static io.runnel.it.support.ReadBackAssertions.assertOffsetsContiguousFromZero;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.AcknowledgedRecord;
import io.runnel.it.support.Acknowledgements;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.KafkaTools;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas moving and leadership going back to preferred replicas on three brokers in one JVM, through
 * Apache Kafka 4.3.1's own tools ({@link KafkaTools}): {@code kafka-reassign-partitions --execute} moves
 * partitions to new brokers, which copy their data and catch up before the replica set switches and the
 * old replica's log is deleted, while {@code --verify} reports the move in progress, then completed;
 * {@code kafka-leader-election} hands leadership back to the preferred replicas a controlled shutdown
 * took it from, and {@code auto.leader.rebalance.enable} does the same without any tool. No record is
 * lost or duplicated on the way.
 */
class ReassignmentIT {

    private static final String REASSIGN_COMMAND = "org.apache.kafka.tools.reassign.ReassignPartitionsCommand";
    private static final String ELECTION_COMMAND = "org.apache.kafka.tools.LeaderElectionCommand";
    private static final int RECORDS = 3000;
    private static final List<Integer> NEW_REPLICAS = List.of(2, 3);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    private EmbeddedCluster cluster;
    private KafkaTools tools;

    @BeforeEach
    void prepareTools() {
        tools = new KafkaTools(tempDir, "reassignment");
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldMoveReplicasWithTheirDataThroughKafkaReassignPartitions() throws Exception {
        cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, Map.of());
        String bootstrap = cluster.bootstrapServers(2);
        // files of a deleted log go at once, so that the test sees them go
        createTopic(new NewTopic("moved", Map.of(0, List.of(1), 1, List.of(1))).configs(Map.of("file.delete.delay.ms", "0")));
        List<AcknowledgedRecord> acknowledged = produce("moved", RECORDS);
        Map<TopicPartition, Long> sizesOnBroker1 = replicaSizes("moved").get(1);
        Path plan = writeReassignment("moved", 2);

        int execute = tools.step(REASSIGN_COMMAND, "--bootstrap-server", bootstrap, "--reassignment-json-file", plan.toString(), "--execute");
        KafkaTools.Output started = tools.run().assertEveryStepSucceeded();

        // the current assignment, printed for a rollback, names broker 1's log directory
        assertThat(started.of(execute)).contains("Successfully started partition reassignments for moved-0,moved-1")
                .anySatisfy(line -> assertThat(line).startsWith("{\"version\":1,\"partitions\":[{\"topic\":\"moved\",\"partition\":0,\"replicas\":[1],")
                        .contains("{\"topic\":\"moved\",\"partition\":1,\"replicas\":[1],", cluster.dataDir(1).toAbsolutePath().toString()));
        // once done, --verify deletes any replication throttles on every broker and on the topic, which Runnel accepts
        assertThat(awaitVerifiedComplete(bootstrap, plan, "moved", 2)).endsWith("Clearing broker-level throttles on brokers 1,2,3",
                "Clearing topic-level throttles on topic moved");
        assertMovedToNewReplicas("moved", 2);
        // the removed replica's log goes, files and all; the new ones hold byte for byte what broker 1 wrote
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(replicaSizes("moved")).containsOnlyKeys(NEW_REPLICAS).containsEntry(2, sizesOnBroker1).containsEntry(3, sizesOnBroker1);
            assertThat(logDirsOf(1, "moved")).isEmpty();
        });
        cluster.stop(1);
        assertReadBackExactlyOnce(cluster.bootstrapServers(2), "moved", acknowledged);
    }

    @Test
    void shouldReportAReassignmentInProgressUntilItsNewReplicasCatchUp() throws Exception {
        cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, Map.of());
        String bootstrap = cluster.bootstrapServers(2);
        createTopic(new NewTopic("stalled", Map.of(0, List.of(1))));
        List<AcknowledgedRecord> acknowledged = produce("stalled", RECORDS);
        Path plan = writeReassignment("stalled", 1);
        // With its only replica down the partition has no leader to copy from, so the move cannot complete.
        cluster.stop(1);
        await().atMost(PATIENCE).until(() -> describe(bootstrap, "stalled").partitions().get(0).leader() == null);

        int execute = tools.step(REASSIGN_COMMAND, "--bootstrap-server", bootstrap, "--reassignment-json-file", plan.toString(), "--execute");
        int verify = tools.step(REASSIGN_COMMAND, "--bootstrap-server", bootstrap, "--reassignment-json-file", plan.toString(), "--verify");
        KafkaTools.Output stalled = tools.run().assertEveryStepSucceeded();

        assertThat(stalled.of(execute)).contains("Successfully started partition reassignment for stalled-0");
        assertThat(stalled.of(verify)).containsExactly("Status of partition reassignment:",
                "Reassignment of partition stalled-0 is still in progress.");
        cluster.restart(1);
        awaitVerifiedComplete(bootstrap, plan, "stalled", 1);
        assertMovedToNewReplicas("stalled", 1);
        cluster.stop(1);
        assertReadBackExactlyOnce(bootstrap, "stalled", acknowledged);
    }

    @Test
    void shouldHandLeadershipBackToPreferredReplicasThroughKafkaLeaderElection() throws Exception {
        cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, Map.of("auto.leader.rebalance.enable", "false"));
        createTopic("elected", 3);
        List<AcknowledgedRecord> acknowledged = produce("elected", RECORDS);
        int bounced = preferredReplica("elected", 0);
        List<String> preferredByBounced = partitionsPreferredBy(bounced, "elected");
        bounce(bounced, "elected");
        assertThat(describe(cluster.bootstrapServers(otherThan(bounced)), "elected").partitions())
                .as("without auto.leader.rebalance.enable leadership stays where the shutdown moved it")
                .filteredOn(partition -> partition.replicas().get(0).id() == bounced)
                .allSatisfy(partition -> assertThat(partition.leader().id()).isNotEqualTo(bounced));

        String bootstrap = cluster.bootstrapServers();
        int electAll = tools.step(ELECTION_COMMAND, "--bootstrap-server", bootstrap, "--election-type", "PREFERRED", "--all-topic-partitions");
        int electAgain = tools.step(ELECTION_COMMAND, "--bootstrap-server", bootstrap, "--election-type", "PREFERRED",
                "--topic", "elected", "--partition", "0");
        KafkaTools.Output elections = tools.run();

        String elected = "Successfully completed leader election (PREFERRED) for partitions ";
        assertThat(elections.of(electAll)).singleElement().asString().startsWith(elected);
        assertThat(elections.of(electAll).get(0).substring(elected.length()).split(", "))
                .containsExactlyInAnyOrderElementsOf(preferredByBounced);
        // ELECTION_NOT_NEEDED is no failure to Kafka's tool: it says so and exits 0
        assertThat(elections.of(electAgain)).containsExactly("Valid replica already elected for partitions elected-0");
        assertThat(elections.exitCode(electAll)).isZero();
        assertThat(elections.exitCode(electAgain)).isZero();
        awaitEveryPartitionLedByItsPreferredReplica("elected");
        assertReadBackExactlyOnce(bootstrap, "elected", acknowledged);
    }

    @Test
    void shouldHandLeadershipBackToPreferredReplicasWithAutoLeaderRebalance() throws Exception {
        cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, Map.of("auto.leader.rebalance.enable", "true",
                "leader.imbalance.check.interval.seconds", "1", "leader.imbalance.per.broker.percentage", "0"));
        createTopic("rebalanced", 3);
        List<AcknowledgedRecord> acknowledged = produce("rebalanced", RECORDS);

        bounce(preferredReplica("rebalanced", 0), "rebalanced");

        awaitEveryPartitionLedByItsPreferredReplica("rebalanced");
        assertReadBackExactlyOnce(cluster.bootstrapServers(), "rebalanced", acknowledged);
    }

    /**
     * Stops {@code broker} (a controlled shutdown), waits until it leads no partition of {@code topic},
     * restarts it and waits until it is back in every ISR of the topic.
     */
    private void bounce(int broker, String topic) {
        cluster.stop(broker);
        String other = cluster.bootstrapServers(otherThan(broker));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(describe(other, topic).partitions())
                .allSatisfy(partition -> assertThat(partition.leader()).isNotNull().extracting(Node::id).isNotEqualTo(broker)));
        cluster.restart(broker);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(describe(other, topic).partitions())
                .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3)));
    }

    /** A broker other than {@code broker}, to ask while it is away. */
    private static int otherThan(int broker) {
        return broker % 3 + 1;
    }

    /**
     * Runs {@code --verify} until it reports every partition of {@code topic} moved; returns what it printed then. Waits
     * through Admin first, as each run of the tool starts a JVM.
     */
    private List<String> awaitVerifiedComplete(String bootstrap, Path plan, String topic, int partitions) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            await().atMost(PATIENCE).until(() -> admin.listPartitionReassignments().reassignments().get().isEmpty());
        }
        List<String> completed = IntStream.range(0, partitions)
                .mapToObj(partition -> "Reassignment of partition " + topic + "-" + partition + " is completed.").toList();
        AtomicReference<List<String>> verified = new AtomicReference<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            int verify = tools.step(REASSIGN_COMMAND, "--bootstrap-server", bootstrap, "--reassignment-json-file", plan.toString(), "--verify");
            verified.set(tools.run().assertEveryStepSucceeded().of(verify));
            assertThat(verified.get()).containsAll(completed);
        });
        return verified.get();
    }

    /** Every partition of {@code topic} has exactly the new replicas, in order, all in sync, and nothing is moving any more. */
    private void assertMovedToNewReplicas(String topic, int partitions) throws Exception {
        String bootstrap = cluster.bootstrapServers(2);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(describe(bootstrap, topic).partitions()).hasSize(partitions).allSatisfy(partition -> {
            assertThat(partition.replicas()).extracting(Node::id).containsExactlyElementsOf(NEW_REPLICAS);
            assertThat(partition.isr()).extracting(Node::id).containsExactlyInAnyOrderElementsOf(NEW_REPLICAS);
        }));
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
        }
    }

    private void awaitEveryPartitionLedByItsPreferredReplica(String topic) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(describe(cluster.bootstrapServers(), topic).partitions())
                .allSatisfy(partition -> assertThat(partition.leader()).isEqualTo(partition.replicas().get(0))));
    }

    /** Every acknowledged record read back once, at its offset, each partition's offsets contiguous from 0. */
    private static void assertReadBackExactlyOnce(String bootstrap, String topic, List<AcknowledgedRecord> acknowledged) {
        List<ConsumerRecord<String, String>> read = TopicReader.readAll(bootstrap, topic);
        assertThat(read).hasSize(acknowledged.size());
        assertOffsetsContiguousFromZero(read);
        assertEveryAcknowledgedRecordAtItsOffset(read, acknowledged);
    }

    /** A plan moving every one of {@code partitions} partitions of {@code topic} to {@link #NEW_REPLICAS}. */
    private Path writeReassignment(String topic, int partitions) throws Exception {
        String replicas = NEW_REPLICAS.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
        String moves = IntStream.range(0, partitions)
                .mapToObj(partition -> "{\"topic\":\"" + topic + "\",\"partition\":" + partition + ",\"replicas\":" + replicas + "}")
                .collect(Collectors.joining(","));
        return Files.writeString(tempDir.resolve(topic + "-reassignment.json"), "{\"version\":1,\"partitions\":[" + moves + "]}");
    }

    private void createTopic(String topic, int partitions) throws Exception {
        createTopic(new NewTopic(topic, partitions, (short) 3));
    }

    private void createTopic(NewTopic topic) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(topic)).all().get();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(describe(cluster.bootstrapServers(), topic.name()).partitions())
                .allSatisfy(partition -> assertThat(partition.leader()).isNotNull()));
    }

    /** Sends {@code count} records with an idempotent acks=all producer; returns where each was written. */
    private List<AcknowledgedRecord> produce(String topic, int count) {
        Acknowledgements acknowledgements = new Acknowledgements();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of("acks", "all",
                "enable.idempotence", "true"))) {
            for (int i = 0; i < count; i++) {
                String key = "key-" + i;
                String value = topic + "-" + i;
                producer.send(new ProducerRecord<>(topic, key, value), acknowledgements.callbackFor(key, value));
            }
        }
        assertThat(acknowledgements.failures()).isEmpty();
        assertThat(acknowledgements.acknowledged()).hasSize(count);
        return acknowledgements.acknowledged();
    }

    private int preferredReplica(String topic, int partition) throws Exception {
        return describe(cluster.bootstrapServers(), topic).partitions().get(partition).replicas().get(0).id();
    }

    /** The partitions of {@code topic} whose first replica is {@code broker}, as Kafka's tools name them. */
    private List<String> partitionsPreferredBy(int broker, String topic) throws Exception {
        return describe(cluster.bootstrapServers(), topic).partitions().stream().filter(partition -> partition.replicas().get(0).id() == broker)
                .map(partition -> topic + "-" + partition.partition()).toList();
    }

    private static TopicDescription describe(String bootstrap, String topic) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        }
    }

    /** The directories in {@code broker}'s data directory that belong to {@code topic}'s partitions, deleted ones too. */
    private List<Path> logDirsOf(int broker, String topic) throws Exception {
        try (Stream<Path> files = Files.list(cluster.dataDir(broker))) {
            return files.filter(file -> file.getFileName().toString().startsWith(topic + "-")).toList();
        }
    }

    /** Broker id to the size of each replica of {@code topic} it holds, from DescribeLogDirs on every running broker. */
    private Map<Integer, Map<TopicPartition, Long>> replicaSizes(String topic) throws Exception {
        Map<Integer, Map<TopicPartition, Long>> sizes = new HashMap<>();
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.describeLogDirs(cluster.runningNodeIds()).allDescriptions().get().forEach((broker, dirs) -> dirs.values()
                    .forEach(dir -> dir.replicaInfos().forEach((partition, replica) -> {
                        if (partition.topic().equals(topic)) {
                            sizes.computeIfAbsent(broker, b -> new HashMap<>()).put(partition, replica.size());
                        }
                    })));
        }
        return sizes;
    }
}
