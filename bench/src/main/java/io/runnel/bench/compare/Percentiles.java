package io.runnel.bench.compare;

import java.util.Arrays;

/**
 * Values (latencies in microseconds, failover times in milliseconds) kept in a growing array and
 * sorted when asked for a percentile: exact, nearest rank, no buckets. A run of the replicated
 * comparison keeps a few tens of thousands, so the array is small. Not thread-safe: one thread adds.
 */
final class Percentiles {

    private long[] values = new long[1024];
    private int count;

    /** Adds one value. */
    void add(long value) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = value;
    }

    int count() {
        return count;
    }

    /** The values added so far, sorted. */
    long[] sorted() {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The nearest-rank {@code percent} percentile of the values added; NaN if there are none. */
    double percentile(double percent) {
        return percentile(sorted(), percent);
    }

    /**
     * The nearest-rank percentile of sorted values: the smallest value at or below which at least
     * {@code percent} percent of them lie (p50 of 1..10 is 5, p99 of 1..1000 is 990, p99.9 of 1..100 is 100).
     * NaN if there are none.
     */
    static double percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
        }
        // ceil(p/100 * n), computed so that 99.9% of 1000 is exactly rank 999 despite binary fractions
        long rank = (long) Math.ceil(Math.round(percent * 1000.0) * (double) sorted.length / 100_000.0 - 1e-9);
        return sorted[(int) Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
