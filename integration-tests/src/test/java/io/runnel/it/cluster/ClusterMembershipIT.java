package io.runnel.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.Broker;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.InvalidConfigException;
import io.runnel.it.support.MetaPropertiesFiles;
import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Who may join a three-node cluster, and how it survives the loss of its active controller. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMembershipIT {

    @TempDir
    static Path tempDir;

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start(tempDir.resolve("cluster"), 3, Map.of());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    @Order(1)
    void shouldRefuseABrokerWhoseNodeIdALiveBrokerHolds() {
        Map<String, String> clash = brokerJoining(2, tempDir.resolve("clash"));

        assertThatThrownBy(() -> Broker.start(BrokerConfig.parse(clash)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("node.id")
                .hasMessageContaining("2");
    }

    @Test
    @Order(2)
    void shouldRefuseABrokerWhoseDataBelongsToAnotherCluster() throws Exception {
        Path dir = tempDir.resolve("stranger");
        MetaPropertiesFiles.write(dir, "some-other-cluster-id", 7);

        assertThatThrownBy(() -> Broker.start(BrokerConfig.parse(brokerJoining(7, dir))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("some-other-cluster-id");
    }

    @Test
    @Order(3)
    void shouldLetABrokerAddedLaterCatchUpAndHostNewPartitions() throws Exception {
        try (Admin admin = admin(cluster.bootstrapServers(1))) {
            admin.createTopics(List.of(new NewTopic("before-the-newcomer", 3, (short) 1))).all().get();
        }
        try (Broker newcomer = Broker.start(BrokerConfig.parse(brokerJoining(4, tempDir.resolve("node-4"))));
             Admin admin = admin("localhost:" + newcomer.boundPort())) {
            assertThat(admin.listTopics().names().get()).contains("before-the-newcomer");
            // Unfenced by the controller before its own image holds the change that says so: await it.
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3, 4));
            admin.createTopics(List.of(new NewTopic("with-the-newcomer", 8, (short) 4))).all().get();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin.describeTopics(List.of("with-the-newcomer"))
                    .allTopicNames().get().get("with-the-newcomer").partitions()).allSatisfy(partition ->
                    assertThat(partition.replicas()).extracting(Node::id).contains(4)));
        }
    }

    @Test
    @Order(4)
    void shouldLetABrokerThatKnowsOnlyTheBootstrapControllersJoin() throws Exception {
        Map<String, String> config = brokerJoining(5, tempDir.resolve("node-5"));
        String voters = config.remove("controller.quorum.voters");
        config.put("controller.quorum.bootstrap.servers", java.util.Arrays.stream(voters.split(","))
                .map(voter -> voter.substring(voter.indexOf('@') + 1)).collect(java.util.stream.Collectors.joining(",")));
        try (Broker bootstrapped = Broker.start(BrokerConfig.parse(config));
             Admin admin = admin("localhost:" + bootstrapped.boundPort())) {
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).contains(1, 2, 3, 5);
            assertThat(bootstrapped.activeControllerId()).isPresent();
        }
    }

    @Test
    @Order(5)
    void shouldElectANewControllerWhenTheActiveOneStopsAndCreateTopicsAgain() throws Exception {
        int active = cluster.activeControllerId(1);
        assertThat(active).isIn(1, 2, 3);
        cluster.stop(active);
        int survivor = cluster.runningNodeIds().iterator().next();
        try (Admin admin = admin(cluster.bootstrapServers(survivor))) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    admin.createTopics(List.of(new NewTopic("after-failover-" + System.nanoTime(), 2, (short) 1))).all().get());
            assertThat(cluster.activeControllerId(survivor)).isNotEqualTo(active).isIn(1, 2, 3);
        }
        cluster.restart(active);
        try (Admin admin = admin(cluster.bootstrapServers(active))) {
            assertThat(admin.listTopics().names().get()).anyMatch(name -> name.startsWith("after-failover-"));
        }
    }

    /** The config of a broker that does not vote joining the cluster with {@code nodeId}, data in {@code dir}. */
    private static Map<String, String> brokerJoining(int nodeId, Path dir) {
        Map<String, String> config = new HashMap<>(cluster.config(1));
        config.put("node.id", Integer.toString(nodeId));
        config.put("process.roles", "broker");
        config.put("listeners", "PLAINTEXT://localhost:0");
        config.put("log.dirs", dir.toAbsolutePath().toString());
        config.put("initial.broker.registration.timeout.ms", "10000");
        return config;
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }
}
