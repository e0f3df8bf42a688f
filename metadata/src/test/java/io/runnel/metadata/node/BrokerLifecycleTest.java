package io.runnel.metadata.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.metadata.controller.ControllerConfig;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.DuplicateBrokerRegistrationException;
import org.apache.kafka.common.errors.InconsistentClusterIdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker's membership against a node alone's controller: the same controller a cluster runs. */
class BrokerLifecycleTest {

    private static final String CLUSTER = "lifecycle-cluster";

    @TempDir
    Path dir;

    private LocalMetadataNode node;

    @BeforeEach
    void open() throws Exception {
        node = LocalMetadataNode.open(dir, 1, CLUSTER, 60_000, ControllerConfig.defaults());
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void shouldRegisterAndBeUnfencedOnceCaughtUp() throws Exception {
        try (BrokerLifecycle lifecycle = lifecycle(1, Uuid.randomUuid(), CLUSTER)) {
            lifecycle.start(10_000).get(10, TimeUnit.SECONDS);

            assertThat(lifecycle.isFenced()).isFalse();
            BrokerRegistration registered = node.publisher().image().broker(1).orElseThrow();
            assertThat(registered.fenced()).isFalse();
            assertThat(registered.epoch()).isEqualTo(lifecycle.brokerEpoch());
            assertThat(registered.endpoints()).containsExactly(new BrokerEndpoint("PLAINTEXT", "localhost", 9092));
        }
    }

    @Test
    void shouldHandLeadershipsOverAndBeFencedInAControlledShutdown() throws Exception {
        try (BrokerLifecycle lifecycle = lifecycle(1, Uuid.randomUuid(), CLUSTER)) {
            lifecycle.start(10_000).get(10, TimeUnit.SECONDS);
            ClusterMetadata metadata = new ClusterMetadata(node, Duration.ofSeconds(10));
            TopicMetadata topic = metadata.createTopic("orders", 2, 1, Map.of(), Map.of(), false);
            assertThat(topic.partitions()).allSatisfy(partition -> assertThat(partition.leader()).isEqualTo(1));

            assertThat(lifecycle.controlledShutdown(10_000)).isTrue();

            assertThat(node.publisher().image().broker(1).orElseThrow().fenced()).isTrue();
            assertThat(node.publisher().image().topic("orders").orElseThrow().partitions())
                    .allSatisfy(partition -> assertThat(partition.hasLeader()).isFalse());
        }
    }

    @Test
    void shouldRefuseASecondBrokerWithTheNodeIdOfALiveOne() throws Exception {
        try (BrokerLifecycle first = lifecycle(1, Uuid.randomUuid(), CLUSTER);
             BrokerLifecycle second = lifecycle(1, Uuid.randomUuid(), CLUSTER)) {
            first.start(10_000).get(10, TimeUnit.SECONDS);

            assertThatThrownBy(() -> second.start(10_000).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DuplicateBrokerRegistrationException.class);
        }
    }

    @Test
    void shouldLetTheSameDataDirectoryRegisterAgainAtOnceAfterARestart() throws Exception {
        Uuid directory = Uuid.randomUuid();
        long firstEpoch;
        try (BrokerLifecycle first = lifecycle(1, directory, CLUSTER)) {
            first.start(10_000).get(10, TimeUnit.SECONDS);
            firstEpoch = first.brokerEpoch();
        }
        try (BrokerLifecycle restarted = lifecycle(1, directory, CLUSTER)) {
            restarted.start(10_000).get(10, TimeUnit.SECONDS);
            assertThat(restarted.brokerEpoch()).isGreaterThan(firstEpoch);
        }
    }

    @Test
    void shouldRefuseABrokerOfAnotherCluster() {
        try (BrokerLifecycle stranger = lifecycle(2, Uuid.randomUuid(), "another-cluster")) {
            assertThatThrownBy(() -> stranger.start(10_000).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InconsistentClusterIdException.class);
        }
    }

    private BrokerLifecycle lifecycle(int brokerId, Uuid directoryId, String clusterId) {
        return new BrokerLifecycle(new BrokerLifecycle.Registration(brokerId, Uuid.randomUuid(), directoryId, clusterId,
                List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9092)), null), node.publisher(), node.controller(), 200);
    }
}
