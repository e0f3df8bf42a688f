package io.runnel.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group coordinator that loses one {@code __consumer_offsets} partition to another live broker keeps
 * serving the groups of the partitions it still leads: a moved partition's last write must not stand
 * in the way of every later answer (it did: each commit on that broker answered NOT_COORDINATOR until
 * the client gave up), and the groups of the moved partition are served by their new coordinator.
 */
class CoordinatorMoveIT {

    private static final String OFFSETS = "__consumer_offsets";
    private static final int OFFSETS_PARTITIONS = 2;
    private static final TopicPartition COMMITTED = new TopicPartition("orders", 0);

    @TempDir
    Path tempDir;

    private EmbeddedCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldKeepServingTheGroupsOfThePartitionsItStillLeadsWhenOneMovesAway() throws Exception {
        cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, Map.of("offsets.topic.num.partitions", String.valueOf(OFFSETS_PARTITIONS)));
        String staying = groupOnOffsetsPartition(0);
        String moving = groupOnOffsetsPartition(1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            admin.createTopics(List.of(new NewTopic(COMMITTED.topic(), 1, (short) 3))).all().get();
            // FindCoordinator creates __consumer_offsets; then both of its partitions are led by broker 1
            commit(admin, staying, 1);
            leadOffsetsPartition(admin, 0, List.of(1, 2, 3));
            leadOffsetsPartition(admin, 1, List.of(1, 2, 3));
            commit(admin, staying, 2);
            commit(admin, moving, 2);

            leadOffsetsPartition(admin, 1, List.of(2, 1, 3));

            commit(admin, staying, 3);
            commit(admin, moving, 3);
            assertThat(committed(admin, staying)).isEqualTo(3);
            assertThat(committed(admin, moving)).isEqualTo(3);
        }
    }

    /** The first of group-0, group-1, ... whose offsets go to {@code partition} of __consumer_offsets (Kafka's rule). */
    private static String groupOnOffsetsPartition(int partition) {
        return IntStream.range(0, 100).mapToObj(i -> "group-" + i)
                .filter(group -> Utils.abs(group.hashCode()) % OFFSETS_PARTITIONS == partition)
                .findFirst().orElseThrow();
    }

    private static void commit(Admin admin, String group, long offset) throws Exception {
        admin.alterConsumerGroupOffsets(group, Map.of(COMMITTED, new OffsetAndMetadata(offset))).all().get();
    }

    private static long committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(COMMITTED).offset();
    }

    /** Reassigns the offsets partition to {@code replicas} and elects the first of them, then waits until it leads. */
    private static void leadOffsetsPartition(Admin admin, int partition, List<Integer> replicas) throws Exception {
        TopicPartition offsets = new TopicPartition(OFFSETS, partition);
        admin.alterPartitionReassignments(Map.of(offsets, Optional.of(new NewPartitionReassignment(replicas)))).all().get();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(admin.listPartitionReassignments(Set.of(offsets)).reassignments().get()).isEmpty();
            Optional<Throwable> election = admin.electLeaders(ElectionType.PREFERRED, Set.of(offsets)).partitions().get().get(offsets);
            assertThat(election.filter(error -> !(error instanceof ElectionNotNeededException))).isEmpty();
            var description = admin.describeTopics(List.of(OFFSETS)).allTopicNames().get().get(OFFSETS).partitions().get(partition);
            assertThat(description.leader().id()).isEqualTo(replicas.get(0));
        });
    }
}
