package io.runnel.group.consumer.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class RangeAssignorTest {

    private static final Uuid ORDERS = Uuid.randomUuid();
    private static final Uuid PAYMENTS = Uuid.randomUuid();

    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void shouldGiveContiguousRangesWithTheExtraPartitionsToTheFirstMembers() {
        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(
                List.of(member("b"), member("a"), member("c")), Map.of(ORDERS, 7));

        assertThat(result.get("a")).isEqualTo(Map.of(ORDERS, Set.of(0, 1, 2)));
        assertThat(result.get("b")).isEqualTo(Map.of(ORDERS, Set.of(3, 4)));
        assertThat(result.get("c")).isEqualTo(Map.of(ORDERS, Set.of(5, 6)));
    }

    @Test
    void shouldGiveTheSamePartitionNumbersOfCoPartitionedTopics() {
        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(
                List.of(member("a"), member("b")), Map.of(ORDERS, 4, PAYMENTS, 4));

        assertThat(result.get("a")).isEqualTo(Map.of(ORDERS, Set.of(0, 1), PAYMENTS, Set.of(0, 1)));
        assertThat(result.get("b")).isEqualTo(Map.of(ORDERS, Set.of(2, 3), PAYMENTS, Set.of(2, 3)));
    }

    @Test
    void shouldLeaveSurplusMembersEmpty() {
        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(
                List.of(member("a"), member("b"), member("c")), Map.of(ORDERS, 2));

        assertThat(result.get("c")).isEmpty();
        UniformAssignorTest.assertEveryPartitionOnce(result, Map.of(ORDERS, 2));
    }

    private static AssignmentMember member(String id) {
        return new AssignmentMember(id, null, null, Set.of(ORDERS, PAYMENTS), Map.of());
    }
}
