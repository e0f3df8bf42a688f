package io.runnel.metadata.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.AlterPartition;
import io.runnel.metadata.controller.ControllerCommand.IsrChange;
import io.runnel.metadata.controller.ControllerCommand.IsrChangeResult;
import io.runnel.metadata.controller.ControllerCommand.IsrMember;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClusterMetadata#alterPartitionAsync} through a node alone: the local path of the command the broker's partitions send. */
class AlterPartitionAsyncTest {

    @TempDir
    Path dir;

    private LocalMetadataNode node;
    private BrokerLifecycle lifecycle;
    private ClusterMetadata metadata;

    @BeforeEach
    void start() throws Exception {
        node = LocalMetadataNode.open(dir, 1, "alter-partition", 60_000);
        lifecycle = new BrokerLifecycle(new BrokerLifecycle.Registration(1, Uuid.randomUuid(), Uuid.randomUuid(), "alter-partition",
                List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9092)), null), node.publisher(), node.controller(), 200);
        lifecycle.start(10_000).get(10, TimeUnit.SECONDS);
        metadata = new ClusterMetadata(node, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        lifecycle.close();
        node.close();
    }

    @Test
    void shouldCompleteWithTheResultOnceThisNodesImageHoldsTheChange() throws Exception {
        try (BrokerLifecycle second = new BrokerLifecycle(new BrokerLifecycle.Registration(2, Uuid.randomUuid(), Uuid.randomUuid(), "alter-partition",
                List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9093)), null), node.publisher(), node.controller(), 200)) {
            second.start(10_000).get(10, TimeUnit.SECONDS);
            TopicMetadata topic = metadata.createTopic("orders", 1, 0, Map.of(0, List.of(1, 2)), Map.of(), false);
            PartitionRegistration partition = topic.partition(0);
            IsrChange shrink = new IsrChange(topic.id(), 0, partition.leaderEpoch(), partition.partitionEpoch(),
                    List.of(new IsrMember(1, lifecycle.brokerEpoch())));

            IsrChangeResult result = metadata.alterPartitionAsync(new AlterPartition(1, lifecycle.brokerEpoch(), List.of(shrink)))
                    .get(10, TimeUnit.SECONDS).get(0);

            assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(result.registration().isr()).containsExactly(1);
            assertThat(metadata.image().topic("orders").orElseThrow().partition(0)).isEqualTo(result.registration());
        }
    }

    @Test
    void shouldAnswerEachChangeInOrderWritingNothingForNoChangeOrAStaleOne() throws Exception {
        TopicMetadata topic = metadata.createTopic("orders", 1, 1, Map.of(), Map.of(), false);
        PartitionRegistration partition = topic.partition(0);
        IsrChange change = new IsrChange(topic.id(), 0, partition.leaderEpoch(), partition.partitionEpoch(),
                List.of(new IsrMember(1, lifecycle.brokerEpoch())));
        IsrChange stale = new IsrChange(topic.id(), 0, partition.leaderEpoch() - 1, partition.partitionEpoch(), List.of(new IsrMember(1, -1)));

        List<IsrChangeResult> results = metadata.alterPartitionAsync(new AlterPartition(1, lifecycle.brokerEpoch(), List.of(change, stale)))
                .get(10, TimeUnit.SECONDS);

        assertThat(results).extracting(IsrChangeResult::errorCode).containsExactly(Errors.NONE.code(), Errors.FENCED_LEADER_EPOCH.code());
        assertThat(results.get(0).registration()).isEqualTo(partition);
        assertThat(metadata.image().topic("orders").orElseThrow().partition(0)).isEqualTo(partition);
    }

    @Test
    void shouldFailWithTheApiExceptionOfARefusedSender() {
        assertThatThrownBy(() -> metadata.alterPartitionAsync(new AlterPartition(1, lifecycle.brokerEpoch() + 1, List.of())).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StaleBrokerEpochException.class);
    }
}
