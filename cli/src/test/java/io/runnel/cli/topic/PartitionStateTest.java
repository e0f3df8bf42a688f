package io.runnel.cli.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class PartitionStateTest {

    @Test
    void shouldCallAPartitionWithEveryReplicaInSyncOk() {
        TopicPartitionInfo info = info(node(1), List.of(1, 2, 3), List.of(1, 2, 3));

        assertThat(PartitionState.of(info, OptionalInt.of(2))).isEmpty();
        assertThat(PartitionState.describe(PartitionState.of(info, OptionalInt.of(2)))).isEqualTo("ok");
    }

    @Test
    void shouldJudgeUnderReplicatedAndUnderMinIsrAsKafkaTopicsDoes() {
        TopicPartitionInfo atMin = info(node(1), List.of(1, 2, 3), List.of(1, 2));
        TopicPartitionInfo belowMin = info(node(1), List.of(1, 2, 3), List.of(1));

        assertThat(PartitionState.of(atMin, OptionalInt.of(2))).containsExactly(PartitionState.UNDER_REPLICATED);
        assertThat(PartitionState.describe(PartitionState.of(belowMin, OptionalInt.of(2)))).isEqualTo("under-replicated,under-min-isr");
        assertThat(PartitionState.of(belowMin, OptionalInt.empty())).as("min.insync.replicas unknown").containsExactly(PartitionState.UNDER_REPLICATED);
    }

    @Test
    void shouldCallAPartitionWithoutALiveLeaderOfflineAndUnderMinIsr() {
        TopicPartitionInfo noLeader = info(null, List.of(3), List.of(3));
        TopicPartitionInfo noNode = info(Node.noNode(), List.of(3), List.of(3));

        assertThat(PartitionState.of(noLeader, OptionalInt.of(1))).containsExactly(PartitionState.OFFLINE, PartitionState.UNDER_MIN_ISR);
        assertThat(PartitionState.of(noNode, OptionalInt.empty())).contains(PartitionState.OFFLINE);
        assertThat(PartitionState.describe(PartitionState.of(noLeader, OptionalInt.of(1)))).isEqualTo("offline");
    }

    private static TopicPartitionInfo info(Node leader, List<Integer> replicas, List<Integer> isr) {
        return new TopicPartitionInfo(0, leader, nodes(replicas), nodes(isr));
    }

    private static List<Node> nodes(List<Integer> ids) {
        return ids.stream().map(PartitionStateTest::node).toList();
    }

    private static Node node(int id) {
        return new Node(id, "localhost", 9090 + id);
    }
}
