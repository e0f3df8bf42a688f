package io.runnel.group.classic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClassicGroupStateTest {

    @Test
    void shouldUseKafkaStateNames() {
        assertThat(Arrays.stream(ClassicGroupState.values()).map(ClassicGroupState::wireName))
                .containsExactly("Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead");
    }

    @Test
    void shouldAllowOnlyKafkaTransitions() {
        assertThat(ClassicGroupState.PREPARING_REBALANCE.canFollow(ClassicGroupState.EMPTY)).isTrue();
        assertThat(ClassicGroupState.PREPARING_REBALANCE.canFollow(ClassicGroupState.STABLE)).isTrue();
        assertThat(ClassicGroupState.PREPARING_REBALANCE.canFollow(ClassicGroupState.COMPLETING_REBALANCE)).isTrue();
        assertThat(ClassicGroupState.COMPLETING_REBALANCE.canFollow(ClassicGroupState.PREPARING_REBALANCE)).isTrue();
        assertThat(ClassicGroupState.STABLE.canFollow(ClassicGroupState.COMPLETING_REBALANCE)).isTrue();
        assertThat(ClassicGroupState.EMPTY.canFollow(ClassicGroupState.PREPARING_REBALANCE)).isTrue();
        assertThat(ClassicGroupState.STABLE.canFollow(ClassicGroupState.PREPARING_REBALANCE)).isFalse();
        assertThat(ClassicGroupState.EMPTY.canFollow(ClassicGroupState.STABLE)).isFalse();
        assertThat(ClassicGroupState.COMPLETING_REBALANCE.canFollow(ClassicGroupState.STABLE)).isFalse();
    }

    @Test
    void shouldAllowDeathFromAnyState() {
        assertThat(ClassicGroupState.values()).allMatch(ClassicGroupState.DEAD::canFollow);
    }
}
