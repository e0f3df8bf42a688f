package io.runnel.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A three-node cluster through kafka-clients: brokers, placement, produce and consume across leaders. */
class ClusterIT {

    @TempDir
    static Path tempDir;

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start(tempDir, 3, Map.of());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldListEveryBrokerAndAControllerThroughAnyNode() throws Exception {
        for (int nodeId : cluster.nodeIds()) {
            try (Admin admin = admin(cluster.bootstrapServers(nodeId))) {
                Collection<Node> nodes = admin.describeCluster().nodes().get();
                assertThat(nodes).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
                assertThat(admin.describeCluster().controller().get().id()).isIn(1, 2, 3);
                assertThat(admin.describeCluster().clusterId().get()).isNotBlank();
            }
        }
    }

    @Test
    void shouldSpreadPartitionsAndLeadersEvenlyAndServeThemFromEveryLeader() throws Exception {
        try (Admin admin = admin(cluster.bootstrapServers(1))) {
            admin.createTopics(List.of(new NewTopic("spread", 6, (short) 3))).all().get();
            TopicDescription topic = admin.describeTopics(List.of("spread")).allTopicNames().get().get("spread");
            Map<Integer, Long> leaders = topic.partitions().stream().collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
            assertThat(leaders).containsOnlyKeys(1, 2, 3).allSatisfy((broker, count) -> assertThat(count).isEqualTo(2));
            for (TopicPartitionInfo partition : topic.partitions()) {
                assertThat(partition.replicas()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
            }
        }
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers())) {
            for (int i = 0; i < 600; i++) {
                producer.send(new ProducerRecord<>("spread", "key-" + i, "value-" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(cluster.bootstrapServers(), Map.of("group.id", "spread-readers"))) {
            consumer.subscribe(List.of("spread"));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < 600 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).hasSize(600);
            assertThat(records.stream().map(ConsumerRecord::partition).collect(Collectors.toSet())).hasSize(6);
        }
    }

    @Test
    void shouldNameTheCurrentLeaderWhenAFetchReachesAnotherBroker() throws Exception {
        TopicPartitionInfo partition;
        org.apache.kafka.common.Uuid topicId;
        try (Admin admin = admin(cluster.bootstrapServers(1))) {
            admin.createTopics(List.of(new NewTopic("elsewhere", 1, (short) 1))).all().get();
            TopicDescription topic = admin.describeTopics(List.of("elsewhere")).allTopicNames().get().get("elsewhere");
            partition = topic.partitions().get(0);
            topicId = topic.topicId();
        }
        int leader = partition.leader().id();
        int other = cluster.nodeIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
        FetchRequestData fetch = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20);
        FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopicId(topicId);
        fetchTopic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20));
        fetch.topics().add(fetchTopic);

        FetchResponseData response;
        try (RawKafkaConnection connection = RawKafkaConnection.open(cluster.bootstrapServers(other))) {
            response = connection.call(ApiKeys.FETCH, (short) 16, fetch);
        }

        FetchResponseData.PartitionData answer = response.responses().get(0).partitions().get(0);
        assertThat(answer.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(answer.currentLeader().leaderId()).isEqualTo(leader);
        assertThat(response.nodeEndpoints()).extracting(FetchResponseData.NodeEndpoint::nodeId).containsExactly(leader);
        assertThat(response.nodeEndpoints().find(leader).port()).isEqualTo(Integer.parseInt(cluster.bootstrapServers(leader).split(":")[1]));
    }

    @Test
    void shouldRefuseAReplicationFactorAboveTheBrokerCount() {
        try (Admin admin = admin(cluster.bootstrapServers(2))) {
            var result = admin.createTopics(List.of(new NewTopic("too-many", 1, (short) 4))).all();
            org.assertj.core.api.Assertions.assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidReplicationFactorException.class);
        }
    }

    @Test
    void shouldShowAConfigChangeMadeThroughOneBrokerThroughEveryBroker() throws Exception {
        try (Admin admin = admin(cluster.bootstrapServers(3))) {
            admin.createTopics(List.of(new NewTopic("configured", 2, (short) 1))).all().get();
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "configured");
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "12345"),
                    AlterConfigOp.OpType.SET)))).all().get();
        }
        for (int nodeId : cluster.nodeIds()) {
            try (Admin admin = admin(cluster.bootstrapServers(nodeId))) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "configured");
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value()).isEqualTo("12345"));
            }
        }
    }

    @Test
    void shouldCommitAndFetchOffsetsOfAGroupWhoseCoordinatorIsAnotherBroker() throws Exception {
        try (Admin admin = admin(cluster.bootstrapServers(1))) {
            admin.createTopics(List.of(new NewTopic("grouped", 3, (short) 1))).all().get();
        }
        String group = groupCoordinatedElsewhere(1);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(1))) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>("grouped", "key-" + i, "value-" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(cluster.bootstrapServers(1), Map.of("group.id", group))) {
            consumer.subscribe(List.of("grouped"));
            int read = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (read < 30 && System.currentTimeMillis() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(read).isEqualTo(30);
            consumer.commitSync();
        }
        try (Admin admin = admin(cluster.bootstrapServers(2))) {
            long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(offset -> offset.offset()).sum();
            assertThat(committed).isEqualTo(30);
            int coordinator = admin.describeConsumerGroups(List.of(group)).all().get().get(group).coordinator().id();
            assertThat(coordinator).isNotEqualTo(1);
        }
    }

    /** A group id whose coordinator (the leader of its offsets partition) is not {@code nodeId}. */
    private static String groupCoordinatedElsewhere(int nodeId) throws Exception {
        try (Admin admin = admin(cluster.bootstrapServers(nodeId))) {
            // FindCoordinator creates __consumer_offsets, as in Kafka
            admin.listConsumerGroupOffsets("any").partitionsToOffsetAndMetadata().get();
            List<TopicPartitionInfo> partitions = admin.describeTopics(List.of("__consumer_offsets")).allTopicNames().get()
                    .get("__consumer_offsets").partitions();
            for (int i = 0; ; i++) {
                String group = "group-" + i;
                int partition = Math.abs(group.hashCode()) % partitions.size();
                if (partitions.get(partition).leader().id() != nodeId) {
                    return group;
                }
            }
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    static Set<Integer> ids(Collection<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toSet());
    }
}
