package io.runnel.cli.perf;

/**
 * Rates as the perf commands print them. MB means 2<sup>20</sup> bytes, as in Kafka's own
 * performance tools, so that the figures of both compare directly.
 */
final class Rates {

    static final double BYTES_PER_MB = 1024.0 * 1024.0;
    private static final double NANOS_PER_SECOND = 1e9;

    private Rates() {
    }

    /** {@code count} per second over {@code nanos}; 0 for an empty interval. */
    static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * NANOS_PER_SECOND / nanos;
    }

    /** MB per second for {@code bytes} over {@code nanos}. */
    static double megabytesPerSecond(long bytes, long nanos) {
        return perSecond(bytes, nanos) / BYTES_PER_MB;
    }

    /** Nanoseconds as seconds. */
    static double seconds(long nanos) {
        return nanos / NANOS_PER_SECOND;
    }

    /** Microseconds as milliseconds. */
    static double millis(long micros) {
        return micros / 1000.0;
    }
}
