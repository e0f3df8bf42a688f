package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerHarness.SESSION_TIMEOUT_MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The controller fencing a broker whose process the {@link DeadBrokerDetector} found dead: brokers 1, 2, 3, topic "t" on all three. */
class DeadBrokerFencingTest {

    private static final long SEED = 11;

    private final ControllerHarness cluster = new ControllerHarness(SEED);

    @Test
    void shouldFenceTheBrokerAndMoveItsLeaderships() {
        long[] epochs = cluster.activeBrokers(null, null, null);
        TopicMetadata before = cluster.createTopic("t", 6, 3);

        cluster.fenceDead(1, epochs[1]);

        assertThat(cluster.image().broker(1).orElseThrow().fenced()).isTrue();
        for (PartitionRegistration partition : cluster.topic("t").partitions()) {
            assertThat(partition.leader()).isIn(2, 3);
            assertThat(partition.isr()).containsExactlyInAnyOrder(2, 3);
        }
        assertThat(before.partitions()).anyMatch(partition -> partition.leader() == 1);
    }

    @Test
    void shouldWriteWhatASessionExpiryOfThatBrokerWrites() {
        ControllerHarness expiring = new ControllerHarness(SEED);
        long[] epochs = cluster.activeBrokers(null, null, null);
        long[] expiringEpochs = expiring.activeBrokers(null, null, null);
        cluster.createTopic("t", 6, 3);
        expiring.createTopic("t", 6, 3);
        expiring.advance(SESSION_TIMEOUT_MS + 1);
        expiring.heartbeat(2, expiringEpochs[2]);
        expiring.heartbeat(3, expiringEpochs[3]);

        // the two topics have different random ids; all else must match
        assertThat(cluster.fenceDead(1, epochs[1])).isNotEmpty()
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("topicId")
                .containsExactlyElementsOf(expiring.fenceExpired());
    }

    @Test
    void shouldWriteNothingForAnEarlierProcessOfTheBroker() {
        Uuid directory = Uuid.randomUuid();
        long first = cluster.register(1, directory, null);
        cluster.heartbeat(1, first);
        long restarted = cluster.register(1, directory, null);
        cluster.heartbeat(1, restarted);

        assertThat(cluster.fenceDead(1, first)).isEmpty();
        assertThat(cluster.image().broker(1).orElseThrow().fenced()).isFalse();
    }

    @Test
    void shouldWriteNothingForABrokerAlreadyFenced() {
        long epoch = cluster.register(1, Uuid.randomUuid(), null);

        assertThat(cluster.image().broker(1).orElseThrow().fenced()).isTrue();
        assertThat(cluster.fenceDead(1, epoch)).isEmpty();
    }

    @Test
    void shouldWriteNothingForAnUnknownBroker() {
        cluster.activeBrokers(null, null);

        assertThat(cluster.fenceDead(9, 1)).isEmpty();
    }

    @Test
    void shouldUnfenceABrokerFencedAliveOnItsNextHeartbeat() {
        long[] epochs = cluster.activeBrokers(null, null, null);
        cluster.createTopic("t", 3, 3);
        cluster.fenceDead(1, epochs[1]);

        cluster.heartbeat(1, epochs[1]);

        assertThat(cluster.image().broker(1).orElseThrow().fenced()).isFalse();
    }
}
