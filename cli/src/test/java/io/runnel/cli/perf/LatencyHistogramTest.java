package io.runnel.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void shouldAnswerZeroWhenEmpty() {
        LatencyHistogram histogram = new LatencyHistogram();

        assertThat(histogram.percentile(99)).isZero();
        assertThat(histogram.max()).isZero();
        assertThat(histogram.mean()).isZero();
    }

    @Test
    void shouldKeepSmallValuesExactly() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int v = 1; v <= 10; v++) {
            histogram.record(v);
        }

        assertThat(histogram.percentile(50)).isEqualTo(5);
        assertThat(histogram.percentile(100)).isEqualTo(10);
        assertThat(histogram.mean()).isEqualTo(5.5);
    }

    @Test
    void shouldPlaceEveryValueInABucketThatContainsIt() {
        for (long v : new long[] {0, 63, 64, 65, 127, 128, 1000, 123_456, 1L << 40, Long.MAX_VALUE}) {
            int bucket = LatencyHistogram.bucketOf(v);
            assertThat(LatencyHistogram.highestValueIn(bucket)).isGreaterThanOrEqualTo(v);
            if (bucket > 0) {
                assertThat(LatencyHistogram.highestValueIn(bucket - 1)).isLessThan(v);
            }
        }
    }

    @Test
    void shouldGivePercentilesWithinThreePercentOfTheTrueValue() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            histogram.record(v);
        }

        assertThat((double) histogram.percentile(50)).isCloseTo(50_000, within(50_000 / 32.0));
        assertThat((double) histogram.percentile(99)).isCloseTo(99_000, within(99_000 / 32.0));
        assertThat((double) histogram.percentile(99.9)).isCloseTo(99_900, within(99_900 / 32.0));
        assertThat(histogram.percentile(50)).isGreaterThanOrEqualTo(50_000);
    }

    @Test
    void shouldNeverReportAPercentileAboveTheMaximum() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(1_000_001);

        assertThat(histogram.percentile(50)).isEqualTo(1_000_001);
        assertThat(histogram.max()).isEqualTo(1_000_001);
    }

    @Test
    void shouldCountANegativeValueAsZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(-5);

        assertThat(histogram.count()).isEqualTo(1);
        assertThat(histogram.percentile(100)).isZero();
    }

    @Test
    void shouldFindTheTailOfASkewedDistribution() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            histogram.record(1_000);
        }
        for (int i = 0; i < 10; i++) {
            histogram.record(50_000);
        }

        assertThat(histogram.percentile(99)).isBetween(1_000L, 1_000L + 1_000 / 32);
        assertThat(histogram.percentile(99.9)).isEqualTo(50_000);
    }

    @Test
    void shouldAddAndResetCounts() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        b.record(20);
        b.record(30);

        a.add(b);

        assertThat(a.count()).isEqualTo(3);
        assertThat(a.max()).isEqualTo(30);
        assertThat(a.percentile(50)).isEqualTo(20);
        a.reset();
        assertThat(a.count()).isZero();
        assertThat(a.percentile(50)).isZero();
    }
}
