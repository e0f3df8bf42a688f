package io.runnel.cli.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.cli.client.CommandFailure;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetResetPlanTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final List<TopicPartition> BOTH = List.of(P1, P0);

    // P0 holds offsets 10..50 and the group is at 30; P1 holds 0..5 and the group has no offset.
    private final OffsetResetPlan plan = new OffsetResetPlan(Map.of(P0, 30L), Map.of(P0, 10L, P1, 0L),
            Map.of(P0, 50L, P1, 5L), Map.of(P0, 42L, P1, -1L));

    @Test
    void shouldMoveToTheLogStartOrEnd() {
        assertThat(plan.newOffsets(target(t -> t.toEarliest = true), BOTH)).containsExactly(Map.entry(P0, 10L), Map.entry(P1, 0L));
        assertThat(plan.newOffsets(target(t -> t.toLatest = true), BOTH)).containsExactly(Map.entry(P0, 50L), Map.entry(P1, 5L));
    }

    @Test
    void shouldKeepARequestedOffsetWithinTheLog() {
        assertThat(plan.newOffsets(target(t -> t.toOffset = 3L), BOTH)).containsExactly(Map.entry(P0, 10L), Map.entry(P1, 3L));
        assertThat(plan.newOffsets(target(t -> t.toOffset = 99L), BOTH)).containsExactly(Map.entry(P0, 50L), Map.entry(P1, 5L));
    }

    @Test
    void shouldMoveToTheEndWhereNoRecordIsAtOrAfterTheTime() {
        assertThat(plan.newOffsets(target(t -> t.toDatetime = 1_000L), BOTH)).containsExactly(Map.entry(P0, 42L), Map.entry(P1, 5L));
    }

    @Test
    void shouldShiftFromTheCommittedOffsetWithinTheLog() {
        assertThat(plan.newOffsets(target(t -> t.shiftBy = -5L), List.of(P0))).containsExactly(Map.entry(P0, 25L));
        assertThat(plan.newOffsets(target(t -> t.shiftBy = -100L), List.of(P0))).containsExactly(Map.entry(P0, 10L));
        assertThat(plan.newOffsets(target(t -> t.shiftBy = 100L), List.of(P0))).containsExactly(Map.entry(P0, 50L));
    }

    @Test
    void shouldRefuseToShiftAPartitionWithoutACommittedOffset() {
        assertThatThrownBy(() -> plan.newOffsets(target(t -> t.shiftBy = 1L), BOTH))
                .isInstanceOf(CommandFailure.class).hasMessageContaining("orders-1").hasMessageContaining("no committed offset");
    }

    private static ResetTarget target(java.util.function.Consumer<ResetTarget> setting) {
        ResetTarget target = new ResetTarget();
        setting.accept(target);
        return target;
    }
}
