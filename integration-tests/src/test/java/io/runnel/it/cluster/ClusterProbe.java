package io.runnel.it.cluster;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** What the crash tests ask a cluster through the Admin API: partition leaders, topic creation. */
final class ClusterProbe {

    /** The leader id Kafka reports for a partition without a leader. */
    static final int NO_LEADER = -1;

    private ClusterProbe() {
    }

    /** An admin client whose calls give up after {@code timeoutMs} (default.api.timeout.ms and request.timeout.ms). */
    static Admin admin(String bootstrapServers, int timeoutMs) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs));
    }

    /** Creates a topic of replication factor 1 and waits until every partition has a leader. */
    static void createTopic(String bootstrapServers, String topic, int partitions) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrapServers)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !leaders(bootstrapServers, topic).containsValue(NO_LEADER));
    }

    /** Partition number to leader id ({@link #NO_LEADER} when offline), as the metadata of {@code bootstrapServers} says. */
    static Map<Integer, Integer> leaders(String bootstrapServers, String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(bootstrapServers, 10_000)) {
            return leaders(admin, topic);
        }
    }

    /** Partition number to leader id ({@link #NO_LEADER} when offline), as {@code admin} sees it. */
    static Map<Integer, Integer> leaders(Admin admin, String topic) throws ExecutionException, InterruptedException {
        List<TopicPartitionInfo> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<Integer, Integer> leaders = new TreeMap<>();
        for (TopicPartitionInfo partition : partitions) {
            Node leader = partition.leader();
            leaders.put(partition.partition(), leader == null || leader.isEmpty() ? NO_LEADER : leader.id());
        }
        return leaders;
    }

    /**
     * Partition number to leader id as one node answers Metadata itself: unlike the Admin client, which
     * sends to whichever known broker is least loaded (a paused one too), this asks that node only.
     */
    static Map<Integer, Integer> leadersSeenBy(String nodeBootstrap, String topic) {
        try (RawKafkaConnection connection = RawKafkaConnection.open(nodeBootstrap)) {
            MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(false);
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
            MetadataResponseData response = connection.call(ApiKeys.METADATA, (short) 12, request);
            Map<Integer, Integer> leaders = new TreeMap<>();
            response.topics().forEach(answer -> answer.partitions().forEach(partition ->
                    leaders.put(partition.partitionIndex(), partition.leaderId())));
            return leaders;
        }
    }

    /** The partitions of {@code leaders} led by {@code nodeId}. */
    static Set<Integer> ledBy(Map<Integer, Integer> leaders, int nodeId) {
        return leaders.entrySet().stream().filter(e -> e.getValue() == nodeId).map(Map.Entry::getKey).collect(Collectors.toSet());
    }
}
