package io.runnel.coordinator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class PartitionOwnershipTest {

    private final PartitionOwnership ownership = PartitionOwnership.loadedOnly(4);

    @Test
    void shouldAnswerLoadInProgressThenServeAKeyAtTheEpochItsPartitionLoadedAt() {
        String key = keyIn(2, 4);

        ownership.beginLoading(2, 4, 7);
        assertThat(ownership.check(key)).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(ownership.acceptsReplay(key)).isTrue();

        ownership.completeLoading(2);
        assertThat(ownership.check(key)).isEqualTo(Errors.NONE);
        assertThat(ownership.acceptsReplay(key)).isFalse();
        assertThat(ownership.coordinatorEpoch(2)).isEqualTo(7);

        ownership.release(2);
        assertThat(ownership.check(key)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(ownership.coordinatorEpoch(2)).isEqualTo(-1);
    }

    @Test
    void shouldTakeTheTopicsRealPartitionCountWhileNoPartitionIsHeld() {
        String key = keyIn(5, 8);

        ownership.beginLoading(5, 8, 0);

        assertThat(ownership.partitionOf(key)).isEqualTo(5);
        assertThat(ownership.check(key)).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
    }

    @Test
    void shouldRefuseToLoadAPartitionInSingleNodeModeWhereEveryPartitionIsOwned() {
        PartitionOwnership single = PartitionOwnership.all(4);

        assertThat(single.check(keyIn(1, 4))).isEqualTo(Errors.NONE);
        assertThatThrownBy(() -> single.beginLoading(1, 4, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSpreadKeysAsKafkaDoesEvenForTheMostNegativeHash() {
        // "polygenelubricants".hashCode() is Integer.MIN_VALUE, whose absolute value Kafka takes as 0.
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(CoordinatorKeys.partitionFor("polygenelubricants", 50)).isZero();
        assertThat(CoordinatorKeys.partitionFor("group-a", 50)).isEqualTo(Math.abs("group-a".hashCode()) % 50);
    }

    private static String keyIn(int partition, int partitionCount) {
        for (int i = 0; ; i++) {
            if (CoordinatorKeys.partitionFor("key-" + i, partitionCount) == partition) {
                return "key-" + i;
            }
        }
    }
}
