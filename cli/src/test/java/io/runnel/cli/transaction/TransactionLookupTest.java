package io.runnel.cli.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TransactionLookupTest {

    private static final long START_MS = 1_000_000L;

    @ParameterizedTest
    @CsvSource({"0, 0ms", "250, 250ms", "999, 999ms", "1000, 1s", "59999, 59s", "60000, 1m00s", "184000, 3m04s", "3599999, 59m59s",
        "3600000, 1h00m", "7500000, 2h05m"})
    void shouldShowHowLongAnOpenTransactionHasRunInItsLargestUnits(long elapsedMs, String shown) {
        assertThat(TransactionLookup.duration(description(TransactionState.ONGOING, OptionalLong.of(START_MS)), START_MS + elapsedMs))
                .isEqualTo(shown);
    }

    @ParameterizedTest
    @EnumSource(value = TransactionState.class, names = {"EMPTY", "COMPLETE_COMMIT", "COMPLETE_ABORT", "UNKNOWN"})
    void shouldShowNoDurationWithoutAnOpenTransactionThoughTheCoordinatorKeepsItsStartTime(TransactionState state) {
        assertThat(TransactionLookup.duration(description(state, OptionalLong.of(START_MS)), START_MS + 5_000)).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = TransactionState.class, names = {"PREPARE_COMMIT", "PREPARE_ABORT", "PREPARE_EPOCH_FENCE"})
    void shouldCountATransactionAsOpenUntilItsMarkersAreWritten(TransactionState state) {
        assertThat(TransactionLookup.duration(description(state, OptionalLong.of(START_MS)), START_MS + 5_000)).isEqualTo("5s");
    }

    @Test
    void shouldShowNoDurationWithoutAStartTime() {
        assertThat(TransactionLookup.duration(description(TransactionState.ONGOING, OptionalLong.empty()), START_MS)).isNull();
    }

    private static TransactionDescription description(TransactionState state, OptionalLong startTimeMs) {
        return new TransactionDescription(1, state, 7L, 0, 60_000, startTimeMs, Set.of(new TopicPartition("t", 0)));
    }
}
