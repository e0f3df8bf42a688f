package io.runnel.it.cluster;

import static io.runnel.it.support.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.Cli;
import io.runnel.it.support.DegradedCluster;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.PrometheusText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators see of replica states in a cluster with a broker down ({@link DegradedCluster}): the
 * leaders' replica meters and the cluster's offline partitions, {@code runnel topic describe} with its
 * states and filters, {@code Admin#describeTopics} paging through DescribeTopicPartitions, and
 * DescribeLogDirs on each live broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaStatesIT {

    private static final List<String> TOPICS = List.of(DegradedCluster.AT_MIN_ISR, DegradedCluster.HEALTHY, DegradedCluster.MOVED,
            DegradedCluster.OFFLINE, DegradedCluster.UNDER_MIN_ISR);

    @TempDir
    static Path tempDir;

    private DegradedCluster degraded;

    @BeforeAll
    void start() throws Exception {
        degraded = DegradedCluster.start(tempDir.resolve("cluster"));
    }

    @AfterAll
    void stop() {
        degraded.close();
    }

    @Test
    void shouldExportEachLeadersReplicaStatesIsrShrinksAndTheClustersOfflinePartitions() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String leader = PrometheusText.scrape(degraded.cluster().metricsPort(1));
            assertThat(value(leader, "runnel_partitions", "")).as("all but offline").isEqualTo(4);
            assertThat(value(leader, "runnel_partitions_led", "")).as("at-min, under-min, moved").isEqualTo(3);
            assertThat(value(leader, "runnel_partitions_under_replicated", "")).isEqualTo(3);
            assertThat(value(leader, "runnel_partitions_under_min_isr", "")).as("under-min").isEqualTo(1);
            assertThat(value(leader, "runnel_partitions_at_min_isr", "")).as("at-min").isEqualTo(1);
            assertThat(value(leader, "runnel_partitions_offline", "")).isEqualTo(1);
            assertThat(value(leader, "runnel_isr_shrinks_total", "")).as("node 3 left the ISR of the three partitions node 1 leads").isEqualTo(3);
            assertThat(value(leader, "runnel_isr_expands_total", "")).isZero();

            String other = PrometheusText.scrape(degraded.cluster().metricsPort(2));
            assertThat(value(other, "runnel_partitions_led", "")).as("healthy").isEqualTo(1);
            assertThat(value(other, "runnel_partitions_under_replicated", "")).isZero();
            assertThat(value(other, "runnel_partitions_under_min_isr", "")).isZero();
            assertThat(value(other, "runnel_partitions_offline", "")).as("every node reports the cluster's").isEqualTo(1);
            assertThat(value(other, "runnel_isr_shrinks_total", "")).isZero();
        });
    }

    @Test
    void shouldShowLeaderEpochsIsrElrAndStatesInTopicDescribe() {
        Cli.Result result = Cli.against(degraded.bootstrapServers()).runnel("topic", "describe");

        assertThat(result.exitCode()).isZero();
        Map<String, String> rows = rowsByTopic(result.outLines());
        assertThat(result.outLines()).filteredOn(line -> line.startsWith("PARTITION")).hasSize(TOPICS.size())
                .allSatisfy(line -> assertThat(line).matches("PARTITION +LEADER +EPOCH +REPLICAS +ISR +ELR +LOG-START-OFFSET +LOG-END-OFFSET +STATE"));
        assertThat(rows).containsOnlyKeys(TOPICS);
        assertThat(rows.get(DegradedCluster.AT_MIN_ISR)).isEqualTo("0 1 0 1,2,3 1,2 - 0 0 under-replicated");
        // KIP-966: a replica that leaves an ISR below min.insync.replicas stays eligible to lead.
        assertThat(rows.get(DegradedCluster.UNDER_MIN_ISR)).isEqualTo("0 1 0 1,2,3 1,2 3 0 0 under-replicated,under-min-isr");
        assertThat(rows.get(DegradedCluster.MOVED)).as("a new leader, a new epoch").isEqualTo("0 1 1 3,1,2 1,2 - 0 0 under-replicated");
        // With eligible leader replicas the ISR may go empty, as on Kafka 4: the last replica moves to the ELR.
        assertThat(rows.get(DegradedCluster.OFFLINE)).isEqualTo("0 - - 3 - 3 - - offline");
        assertThat(rows.get(DegradedCluster.HEALTHY)).isEqualTo("0 2 0 2,1 2,1 - 0 0 ok");
    }

    @Test
    void shouldShowOnlyThePartitionsInTheStatesAskedFor() {
        Cli.Result underReplicated = Cli.against(degraded.bootstrapServers()).runnel("topic", "describe", "--under-replicated");
        Cli.Result offline = Cli.against(degraded.bootstrapServers()).runnel("topic", "describe", "--offline", DegradedCluster.OFFLINE,
                DegradedCluster.HEALTHY);

        assertThat(rowsByTopic(underReplicated.outLines()))
                .as("an offline partition with an empty ISR is under-replicated too, as kafka-topics says")
                .containsOnlyKeys(DegradedCluster.AT_MIN_ISR, DegradedCluster.UNDER_MIN_ISR, DegradedCluster.MOVED, DegradedCluster.OFFLINE);
        assertThat(rowsByTopic(offline.outLines())).containsOnlyKeys(DegradedCluster.OFFLINE);
        assertThat(offline.outLines()).filteredOn(line -> line.startsWith("Topic: ")).hasSize(1);
    }

    @Test
    void shouldPageThroughDescribeTopicPartitionsInAdminDescribeTopics() throws Exception {
        try (Admin admin = KafkaClients.admin(degraded.bootstrapServers())) {
            Map<String, TopicDescription> topics = admin.describeTopics(TOPICS, new DescribeTopicsOptions().partitionSizeLimitPerResponse(1))
                    .allTopicNames().get();

            assertThat(topics).containsOnlyKeys(TOPICS);
            TopicPartitionInfo moved = topics.get(DegradedCluster.MOVED).partitions().get(0);
            assertThat(moved.leader().id()).isEqualTo(1);
            assertThat(moved.replicas()).extracting(Node::id).containsExactly(3, 1, 2);
            assertThat(moved.isr()).extracting(Node::id).containsExactly(1, 2);
            assertThat(moved.elr()).as("null would mean Admin fell back to Metadata").isEmpty();
            assertThat(moved.lastKnownElr()).isEmpty();
            assertThat(topics.get(DegradedCluster.OFFLINE).partitions().get(0).leader()).isNull();
        }
    }

    @Test
    void shouldDescribeEachLiveBrokersReplicasWithTheirOffsetLag() throws Exception {
        try (Admin admin = KafkaClients.admin(degraded.bootstrapServers())) {
            Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(List.of(1, 2)).allDescriptions().get();

            for (int broker : List.of(1, 2)) {
                Map<TopicPartition, ReplicaInfo> replicas = dirs.get(broker).values().stream()
                        .flatMap(dir -> dir.replicaInfos().entrySet().stream())
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                assertThat(replicas).as("broker %d", broker).containsOnlyKeys(new TopicPartition(DegradedCluster.AT_MIN_ISR, 0),
                        new TopicPartition(DegradedCluster.UNDER_MIN_ISR, 0), new TopicPartition(DegradedCluster.MOVED, 0),
                        new TopicPartition(DegradedCluster.HEALTHY, 0));
                assertThat(replicas.values()).allSatisfy(replica -> {
                    assertThat(replica.offsetLag()).isZero();
                    assertThat(replica.isFuture()).isFalse();
                });
            }
        }
    }

    /** The partition rows of {@code topic describe}, whitespace collapsed, by the topic of the block they are in. */
    private static Map<String, String> rowsByTopic(List<String> lines) {
        Map<String, String> rows = new TreeMap<>();
        String topic = null;
        for (String line : lines) {
            if (line.startsWith("Topic: ")) {
                topic = line.split("\\s+")[1];
            } else if (topic != null && line.matches("\\d+\\s.*")) {
                rows.put(topic, line.trim().replaceAll("\\s+", " "));
            }
        }
        return rows;
    }
}
