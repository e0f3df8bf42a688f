package io.runnel.transaction;

import static io.runnel.transaction.TransactionState.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Kafka's ids, names and valid previous states of the transaction states. */
class TransactionStateTest {

    @Test
    void shouldUseKafkasIdsAndNames() {
        assertThat(EnumSet.allOf(TransactionState.class)).allSatisfy(s -> {
            assertThat(TransactionState.fromId(s.id())).isEqualTo(s);
            assertThat(TransactionState.fromKafkaName(s.kafkaName())).contains(s);
        });
        assertThat(PREPARE_EPOCH_FENCE.id()).isEqualTo((byte) 7);
        assertThat(COMPLETE_ABORT.kafkaName()).isEqualTo("CompleteAbort");
        assertThat(TransactionState.fromKafkaName("completeabort")).isEmpty();
    }

    @Test
    void shouldAllowKafkasTransitionsOnly() {
        assertThat(EMPTY.validPreviousStates()).containsExactlyInAnyOrder(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
        assertThat(ONGOING.validPreviousStates()).containsExactlyInAnyOrder(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
        assertThat(PREPARE_COMMIT.validPreviousStates()).containsExactly(ONGOING);
        assertThat(PREPARE_ABORT.validPreviousStates())
                .containsExactlyInAnyOrder(ONGOING, PREPARE_EPOCH_FENCE, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
        assertThat(COMPLETE_COMMIT.validPreviousStates()).containsExactly(PREPARE_COMMIT);
        assertThat(COMPLETE_ABORT.validPreviousStates()).containsExactly(PREPARE_ABORT);
        assertThat(DEAD.validPreviousStates()).containsExactlyInAnyOrder(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
        assertThat(PREPARE_EPOCH_FENCE.validPreviousStates()).containsExactly(ONGOING);
    }

    @Test
    void shouldAllowExpiryOnlyWhenIdle() {
        assertThat(EnumSet.allOf(TransactionState.class).stream().filter(TransactionState::isExpirationAllowed))
                .containsExactlyInAnyOrder(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
    }
}
