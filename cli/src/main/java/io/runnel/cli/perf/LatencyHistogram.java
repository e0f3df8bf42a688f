package io.runnel.cli.perf;

import java.util.Arrays;

/**
 * Counts non-negative latencies (any unit; the perf commands use microseconds) in log-linear buckets,
 * so that a run of any length needs the same small, fixed memory. Values below 64 are kept exactly;
 * above, each power of two is cut into 32 buckets, so a percentile is within 1/32 (about 3%) of the
 * true value, and never above the largest value recorded.
 *
 * <p>Not thread-safe: one thread records, or the caller synchronizes.
 */
public final class LatencyHistogram {

    private static final int EXACT = 64;
    private static final int SUB_BUCKET_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int FIRST_INEXACT_EXPONENT = 6;
    private static final int BUCKETS = EXACT + (63 - FIRST_INEXACT_EXPONENT) * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long sum;
    private long max;

    /** Counts one value; a negative value (a clock step) counts as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        counts[bucketOf(v)]++;
        count++;
        sum += v;
        max = Math.max(max, v);
    }

    /** Adds every value counted by {@code other}. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    /** Forgets every value. */
    public void reset() {
        Arrays.fill(counts, 0);
        count = 0;
        sum = 0;
        max = 0;
    }

    /** How many values were counted. */
    public long count() {
        return count;
    }

    /** The largest value counted, exactly; 0 if none. */
    public long max() {
        return max;
    }

    /** The mean of the values counted; 0 if none. */
    public double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /**
     * The value at or below which {@code percent} percent of the values lie (the upper end of the
     * bucket that holds it, capped at {@link #max()}); 0 if nothing was counted.
     */
    public long percentile(double percent) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestValueIn(i), max);
            }
        }
        return max;
    }

    static int bucketOf(long value) {
        if (value < EXACT) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int shift = exponent - SUB_BUCKET_BITS;
        int top = (int) (value >>> shift); // in [SUB_BUCKETS, 2 * SUB_BUCKETS)
        return EXACT + (exponent - FIRST_INEXACT_EXPONENT) * SUB_BUCKETS + (top - SUB_BUCKETS);
    }

    static long highestValueIn(int bucket) {
        if (bucket < EXACT) {
            return bucket;
        }
        int k = bucket - EXACT;
        int exponent = k / SUB_BUCKETS + FIRST_INEXACT_EXPONENT;
        long top = k % SUB_BUCKETS + SUB_BUCKETS;
        int shift = exponent - SUB_BUCKET_BITS;
        long next = (top + 1) << shift;
        return next < 0 ? Long.MAX_VALUE : next - 1;
    }
}
