package io.runnel.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long START = 5_000_000_000L;
    private static final long MILLI = 1_000_000L;

    @Test
    void shouldSpaceOperationsEvenlyAtTheRate() {
        Pacer pacer = new Pacer(1000, START);

        assertThat(pacer.dueNanos(0)).isEqualTo(START);
        assertThat(pacer.dueNanos(1)).isEqualTo(START + MILLI);
        assertThat(pacer.dueNanos(1000)).isEqualTo(START + 1000 * MILLI);
    }

    @Test
    void shouldMakeAnEarlyOperationWaitUntilItIsDue() {
        Pacer pacer = new Pacer(1000, START);

        assertThat(pacer.waitNanos(10, START + 4 * MILLI)).isEqualTo(6 * MILLI);
    }

    @Test
    void shouldNotDelayALateOperation() {
        Pacer pacer = new Pacer(1000, START);

        assertThat(pacer.waitNanos(10, START + 50 * MILLI)).isZero();
    }

    @Test
    void shouldNeverWaitWithoutALimit() {
        Pacer pacer = new Pacer(-1, START);

        assertThat(pacer.limited()).isFalse();
        assertThat(pacer.waitNanos(1_000_000, START)).isZero();
    }

    @Test
    void shouldHandleFractionalRates() {
        Pacer pacer = new Pacer(0.5, START);

        assertThat(pacer.dueNanos(1)).isEqualTo(START + 2_000 * MILLI);
    }
}
