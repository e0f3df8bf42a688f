package io.runnel.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replication on three brokers in one JVM, through kafka-clients: every replica gets every record, and a leader's loss loses none. */
class ReplicationIT {

    @TempDir
    Path tempDir;

    private EmbeddedCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = EmbeddedCluster.start(tempDir, 3, Map.of("broker.session.timeout.ms", "3000"));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldCopyEveryAcknowledgedRecordToEveryReplica() throws Exception {
        createTopic("copied", 3, Map.of("min.insync.replicas", "2"));
        List<RecordMetadata> acknowledged = produce("copied", 3000, "v");
        assertThat(acknowledged).hasSize(3000);
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<Integer, Map<TopicPartition, Long>> sizes = replicaSizes(admin, "copied", 3);
                for (int partition = 0; partition < 3; partition++) {
                    TopicPartition topicPartition = new TopicPartition("copied", partition);
                    assertThat(sizes.values()).as("replica sizes of %s", topicPartition)
                            .extracting(bySize -> bySize.get(topicPartition)).containsOnly(sizes.get(1).get(topicPartition));
                    assertThat(sizes.get(1).get(topicPartition)).isPositive();
                }
            });
        }
    }

    @Test
    void shouldLoseNoAcknowledgedRecordWhenTheLeaderStops() throws Exception {
        createTopic("failover", 1, Map.of("min.insync.replicas", "2"));
        produce("failover", 500, "before");
        int leader = leaderOf("failover", 0);
        cluster.stop(leader);
        String bootstrap = cluster.bootstrapServers(cluster.runningNodeIds().iterator().next());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> leaderOf(bootstrap, "failover", 0) != leader);
        produceTo(bootstrap, "failover", 500, "after");
        List<String> values = readAll(bootstrap, new TopicPartition("failover", 0), 1000);
        assertThat(values).hasSize(1000).doesNotHaveDuplicates();
        assertThat(values.subList(0, 500)).allMatch(value -> value.startsWith("before"));
        cluster.restart(leader);
        // the old leader catches up as a follower and can lead again
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(isr(bootstrap, "failover", 0)).containsExactlyInAnyOrder(1, 2, 3));
    }

    @Test
    void shouldRefuseAcksAllWritesWhenTheIsrIsBelowMinInsyncReplicas() throws Exception {
        createTopic("strict", 1, Map.of("min.insync.replicas", "3"));
        produce("strict", 10, "ok");
        int follower = isr(cluster.bootstrapServers(), "strict", 0).stream().filter(id -> {
            try {
                return id != leaderOf("strict", 0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        cluster.stop(follower);
        String bootstrap = cluster.bootstrapServers(leaderOf("strict", 0));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> isr(bootstrap, "strict", 0).size() == 2);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, Map.of("delivery.timeout.ms", "3000",
                "request.timeout.ms", "2000", "linger.ms", "0"))) {
            Future<RecordMetadata> send = producer.send(new ProducerRecord<>("strict", "k", "refused"));
            assertThatThrownBy(send::get).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfAny(NotEnoughReplicasException.class, org.apache.kafka.common.errors.TimeoutException.class);
        }
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, Map.of("acks", "1"))) {
            assertThat(producer.send(new ProducerRecord<>("strict", "k", "acks=1 is fine")).get().offset()).isEqualTo(10);
        }
    }

    @Test
    void shouldKeepCommittedOffsetsOfAGroupWhenTheCoordinatorStops() throws Exception {
        createTopic("grouped", 1, Map.of());
        produce("grouped", 10, "g");
        TopicPartition partition = new TopicPartition("grouped", 0);
        Map<String, Object> groupConfig = Map.of("group.id", "replicated-group");
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(cluster.bootstrapServers(), groupConfig)) {
            consumer.assign(List.of(partition));
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(7)));
        }
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            TopicDescription offsets = admin.describeTopics(List.of("__consumer_offsets")).allTopicNames().get().get("__consumer_offsets");
            assertThat(offsets.partitions().get(0).replicas()).hasSize(3);
            int coordinator = admin.describeConsumerGroups(List.of("replicated-group")).all().get().get("replicated-group").coordinator().id();
            cluster.stop(coordinator);
        }
        String bootstrap = cluster.bootstrapServers(cluster.runningNodeIds().iterator().next());
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap, groupConfig)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(consumer.committed(Set.of(partition), Duration.ofSeconds(5)).get(partition).offset()).isEqualTo(7));
        }
    }

    @Test
    void shouldRefuseReplicaFetchesFromNonReplicasAndOtherClustersAndKeepServing() throws Exception {
        createTopic("guarded", 1, Map.of());
        produce("guarded", 5, "x");
        int leader = leaderOf("guarded", 0);
        Uuid topicId;
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            topicId = admin.describeTopics(List.of("guarded")).allTopicNames().get().get("guarded").topicId();
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(cluster.bootstrapServers(leader))) {
            FetchResponseData notReplica = connection.call(ApiKeys.FETCH, (short) 17, replicaFetch(topicId, 42, null));
            assertThat(notReplica.responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(notReplica.responses().get(0).partitions().get(0).records().sizeInBytes()).isZero();

            FetchResponseData otherCluster = connection.call(ApiKeys.FETCH, (short) 17, replicaFetch(topicId, leader % 3 + 1, "another-cluster"));
            assertThat(otherCluster.errorCode()).isEqualTo(Errors.INCONSISTENT_CLUSTER_ID.code());
        }
        assertThat(produce("guarded", 5, "still-serving")).hasSize(5);
        assertThat(readAll(cluster.bootstrapServers(), new TopicPartition("guarded", 0), 10)).hasSize(10);
    }

    private static FetchRequestData replicaFetch(Uuid topicId, int replicaId, String clusterId) {
        FetchRequestData fetch = new FetchRequestData().setClusterId(clusterId).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(replicaId).setReplicaEpoch(-1));
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopicId(topicId);
        topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20));
        fetch.topics().add(topic);
        return fetch;
    }

    private void createTopic(String topic, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 3).configs(configs))).all().get();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leaderOf(topic, 0) >= 0);
    }

    private List<RecordMetadata> produce(String topic, int count, String prefix) throws Exception {
        return produceTo(cluster.bootstrapServers(), topic, count, prefix);
    }

    private static List<RecordMetadata> produceTo(String bootstrap, String topic, int count, String prefix) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "key-" + i, prefix + "-" + i)));
            }
            producer.flush();
        }
        List<RecordMetadata> acknowledged = new ArrayList<>();
        for (Future<RecordMetadata> send : sends) {
            acknowledged.add(send.get());
        }
        return acknowledged;
    }

    private static List<String> readAll(String bootstrap, TopicPartition partition, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }

    private int leaderOf(String topic, int partition) throws Exception {
        return leaderOf(cluster.bootstrapServers(), topic, partition);
    }

    private static int leaderOf(String bootstrap, String topic, int partition) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            Node leader = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(partition).leader();
            return leader == null ? -1 : leader.id();
        }
    }

    private static List<Integer> isr(String bootstrap, String topic, int partition) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(partition).isr().stream()
                    .map(Node::id).toList();
        }
    }

    private Map<Integer, Map<TopicPartition, Long>> replicaSizes(Admin admin, String topic, int partitions) throws Exception {
        Map<Integer, Map<TopicPartition, Long>> sizes = new HashMap<>();
        var described = admin.describeLogDirs(cluster.runningNodeIds()).allDescriptions().get();
        described.forEach((broker, dirs) -> dirs.values().forEach(dir -> {
            for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                if (replica.getKey().topic().equals(topic)) {
                    sizes.computeIfAbsent(broker, b -> new HashMap<>()).put(replica.getKey(), replica.getValue().size());
                }
            }
        }));
        assertThat(sizes).hasSize(3).allSatisfy((broker, bySize) -> assertThat(bySize).hasSize(partitions));
        return sizes;
    }
}
