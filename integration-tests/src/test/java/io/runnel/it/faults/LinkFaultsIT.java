package io.runnel.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.BrokerProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link faults themselves, without replication: in a cluster started with links, nodes talk to each
 * other only through the proxies; an isolated broker is fenced by the others while clients still reach
 * it, and comes back when healed; an isolated active controller loses the quorum to the other two voters.
 */
class LinkFaultsIT {

    private static final String TOPIC = "links";
    private static final int PARTITIONS = 6;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldFenceAnIsolatedBrokerThatClientsStillReachAndTakeItBackWhenHealed() throws Exception {
        try (BrokerProcessCluster cluster = BrokerProcessCluster.startWithLinks(dir, 3, FaultRun.BROKER_CONFIG)) {
            try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // a retry of a first attempt that timed out on a busy machine finds the topic made: done
                assertThat(e.getCause()).isInstanceOf(TopicExistsException.class);
            }
            int controller = cluster.activeControllerId();
            int victim = cluster.nodeIds().stream().filter(id -> id != controller).findFirst().orElseThrow();
            int survivor = cluster.nodeIds().stream().filter(id -> id != controller && id != victim).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    !PartitionStates.askNode(cluster.bootstrapServers(controller), TOPIC).ledBy(victim).isEmpty()
                            && PartitionStates.askNode(cluster.bootstrapServers(controller), TOPIC).allLedOutside(PARTITIONS, Set.of()));
            Set<Integer> victimPartitions = PartitionStates.askNode(cluster.bootstrapServers(controller), TOPIC).ledBy(victim);
            assertThat(cluster.links().openConnections(victim, controller) + cluster.links().openConnections(controller, victim))
                    .as("connections between nodes %d and %d through their links", victim, controller).isPositive();

            cluster.isolate(victim);

            // The others fence it after the session timeout: its partitions (replication factor 1) go offline.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> victimPartitions.stream().allMatch(partition ->
                    PartitionStates.askNode(cluster.bootstrapServers(survivor), TOPIC).byPartition().get(partition).leader() == PartitionStates.NO_LEADER));
            // Clients still reach it; its own view is stale, not gone.
            assertThat(PartitionStates.askNode(cluster.bootstrapServers(victim), TOPIC).byPartition()).hasSize(PARTITIONS);

            cluster.heal(victim);

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    PartitionStates.askNode(cluster.bootstrapServers(survivor), TOPIC).ledBy(victim).equals(victimPartitions));

            // activeControllerId() takes the claim of the highest term: the majority side's new controller
            // outranks the isolated one, which may still believe it leads.
            cluster.isolate(controller);
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.activeControllerId() != -1 && cluster.activeControllerId() != controller);
            cluster.heal(controller);
            assertThat(cluster.links().isolated()).isEmpty();
        }
    }
}
