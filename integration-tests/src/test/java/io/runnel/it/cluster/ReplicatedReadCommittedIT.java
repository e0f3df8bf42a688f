package io.runnel.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.RawRequests.ProducerIdAndEpoch;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions on a partition with three replicas (piece 5), driven by raw transactional Produce and
 * WriteTxnMarkers requests: markers wait for replication, and the follower elected when the leader
 * stops has the aborted transactions and the open one, so read_committed readers see the same.
 */
class ReplicatedReadCommittedIT {

    private static final String TOPIC = "replicated-transactions";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Map<String, Object> READ_COMMITTED = Map.of("isolation.level", "read_committed");

    @TempDir
    Path tempDir;

    private EmbeddedCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = EmbeddedCluster.start(tempDir, 3, Map.of("broker.session.timeout.ms", "3000", "runnel.transactions.enable", "true",
                // Raw transactional batches stand in for a coordinator here; verification would refuse them.
                "transaction.partition.verification.enable", "false"));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldKeepAbortedAndOpenTransactionsAcrossALeaderChange() throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leaderOf(cluster.bootstrapServers()) >= 0);
        int leader = leaderOf(cluster.bootstrapServers());
        ProducerIdAndEpoch open;
        try (RawKafkaConnection connection = RawKafkaConnection.open(cluster.bootstrapServers(leader))) {
            writeTransaction(connection, false, "aborted");
            writeTransaction(connection, true, "committed");
            open = RawRequests.initProducerId(connection);
            assertThat(RawRequests.produce(connection, "open", TOPIC, 0, RawRequests.transactionalBatchOf(open, 0, "open")).errorCode()).isZero();
            assertThat(RawRequests.produce(connection, TOPIC, 0, RawRequests.batchOf("plain")).errorCode()).isZero();
        }
        assertThat(values(TopicReader.readAll(cluster.bootstrapServers(leader), TOPIC, READ_COMMITTED))).containsExactly("committed");

        cluster.stop(leader);
        String bootstrap = cluster.bootstrapServers(cluster.runningNodeIds().iterator().next());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> leaderOf(bootstrap) >= 0 && leaderOf(bootstrap) != leader);

        // offsets 0-1 aborted, 2-3 committed, 4 open, 5 plain
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(latestOffset(bootstrap, IsolationLevel.READ_COMMITTED)).isEqualTo(4));
        assertThat(values(TopicReader.readAll(bootstrap, TOPIC, READ_COMMITTED))).containsExactly("committed");
        try (RawKafkaConnection connection = RawKafkaConnection.open(cluster.bootstrapServers(leaderOf(bootstrap)))) {
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> RawRequests.writeTxnMarker(connection, open, 0, true, TOPIC, 0) == Errors.NONE);
        }
        assertThat(values(TopicReader.readAll(bootstrap, TOPIC, READ_COMMITTED))).containsExactly("committed", "open", "plain");
        assertThat(values(TopicReader.readAll(bootstrap, TOPIC))).containsExactly("aborted", "committed", "open", "plain");
    }

    /** One transaction of a fresh producer: its batch, then its marker, which answers once replicated. */
    private static void writeTransaction(RawKafkaConnection connection, boolean commit, String value) {
        ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
        assertThat(RawRequests.produce(connection, TOPIC + "-" + producer.producerId(), TOPIC, 0, RawRequests.transactionalBatchOf(producer, 0, value))
                .errorCode()).isZero();
        assertThat(RawRequests.writeTxnMarker(connection, producer, 0, commit, TOPIC, 0)).isEqualTo(Errors.NONE);
    }

    private static long latestOffset(String bootstrap, IsolationLevel isolation) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            return admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).partitionResult(PARTITION).get()
                    .offset();
        }
    }

    private static int leaderOf(String bootstrap) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            Node leader = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().get(0).leader();
            return leader == null ? -1 : leader.id();
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
