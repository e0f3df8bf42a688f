package io.runnel.group.consumer.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class UniformAssignorTest {

    private static final Uuid ORDERS = Uuid.randomUuid();
    private static final Uuid PAYMENTS = Uuid.randomUuid();

    private final UniformAssignor assignor = new UniformAssignor();

    @Test
    void shouldBalanceSixPartitionsOverThreeMembers() {
        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(
                List.of(member("a", Map.of()), member("b", Map.of()), member("c", Map.of())), Map.of(ORDERS, 6));

        assertThat(result.values()).allSatisfy(assignment -> assertThat(assignment.get(ORDERS)).hasSize(2));
        assertEveryPartitionOnce(result, Map.of(ORDERS, 6));
    }

    @Test
    void shouldMoveOnlyWhatBalanceRequiresWhenAMemberJoins() {
        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(List.of(
                member("a", Map.of(ORDERS, Set.of(0, 1, 2))),
                member("b", Map.of(ORDERS, Set.of(3, 4, 5))),
                member("c", Map.of())), Map.of(ORDERS, 6));

        assertThat(result.get("a").get(ORDERS)).hasSize(2).isSubsetOf(0, 1, 2);
        assertThat(result.get("b").get(ORDERS)).hasSize(2).isSubsetOf(3, 4, 5);
        assertThat(result.get("c").get(ORDERS)).hasSize(2);
    }

    @Test
    void shouldKeepABalancedAssignmentUnchanged() {
        Map<Uuid, Set<Integer>> ofA = Map.of(ORDERS, Set.of(0, 4));
        Map<Uuid, Set<Integer>> ofB = Map.of(ORDERS, Set.of(1, 3));
        Map<Uuid, Set<Integer>> ofC = Map.of(ORDERS, Set.of(2, 5));

        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(
                List.of(member("a", ofA), member("b", ofB), member("c", ofC)), Map.of(ORDERS, 6));

        assertThat(result).isEqualTo(Map.of("a", ofA, "b", ofB, "c", ofC));
    }

    @Test
    void shouldGiveNewPartitionsToTheLeastLoadedMembers() {
        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(List.of(
                member("a", Map.of(ORDERS, Set.of(0, 1))),
                member("b", Map.of(ORDERS, Set.of(2, 3)))), Map.of(ORDERS, 8));

        assertThat(result.get("a").get(ORDERS)).hasSize(4).contains(0, 1);
        assertThat(result.get("b").get(ORDERS)).hasSize(4).contains(2, 3);
    }

    @Test
    void shouldOnlyAssignTopicsAMemberSubscribesTo() {
        AssignmentMember onlyOrders = new AssignmentMember("a", null, null, Set.of(ORDERS), Map.of());
        AssignmentMember both = new AssignmentMember("b", null, null, Set.of(ORDERS, PAYMENTS), Map.of());

        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(List.of(onlyOrders, both), Map.of(ORDERS, 2, PAYMENTS, 4));

        assertThat(result.get("a")).containsOnlyKeys(ORDERS);
        assertThat(result.get("b").get(PAYMENTS)).hasSize(4);
        assertThat(result.get("a").get(ORDERS)).hasSize(2);
        assertEveryPartitionOnce(result, Map.of(ORDERS, 2, PAYMENTS, 4));
    }

    @Test
    void shouldDropPartitionsOfTopicsThatNoLongerExist() {
        Map<String, Map<Uuid, Set<Integer>>> result = assignor.assign(List.of(
                member("a", Map.of(ORDERS, Set.of(0, 1, 2, 3)))), Map.of(ORDERS, 2));

        assertThat(result.get("a")).isEqualTo(Map.of(ORDERS, Set.of(0, 1)));
    }

    private static AssignmentMember member(String id, Map<Uuid, Set<Integer>> current) {
        return new AssignmentMember(id, null, null, Set.of(ORDERS), current);
    }

    static void assertEveryPartitionOnce(Map<String, Map<Uuid, Set<Integer>>> result, Map<Uuid, Integer> counts) {
        List<String> assigned = new ArrayList<>();
        result.values().forEach(assignment -> assignment.forEach((topic, partitions) ->
                partitions.forEach(partition -> assigned.add(topic + "-" + partition))));
        Set<String> expected = new HashSet<>();
        counts.forEach((topic, count) -> {
            for (int partition = 0; partition < count; partition++) {
                expected.add(topic + "-" + partition);
            }
        });
        assertThat(assigned).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    }
}
