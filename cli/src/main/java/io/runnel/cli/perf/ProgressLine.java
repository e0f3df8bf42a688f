package io.runnel.cli.perf;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a progress line every reporting interval: records so far, the rate in the last interval
 * and, if latencies are counted, their percentiles in that interval. The caller passes every event
 * in; the line is printed by whichever call finds the interval over. Not thread-safe: one thread
 * calls, or the caller synchronizes.
 */
final class ProgressLine {

    private final PrintStream out;
    private final String verb;
    private final long intervalNanos;
    private final LatencyHistogram window = new LatencyHistogram();
    private long windowStart;
    private long windowRecords;
    private long windowBytes;
    private long totalRecords;

    ProgressLine(PrintStream out, String verb, long intervalMillis, long startNanos) {
        this.out = out;
        this.verb = verb;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.windowStart = startNanos;
    }

    /** Counts one record of {@code bytes} with a latency in microseconds (negative: no latency). */
    void record(long bytes, long latencyMicros, long nowNanos) {
        windowRecords++;
        totalRecords++;
        windowBytes += bytes;
        if (latencyMicros >= 0) {
            window.record(latencyMicros);
        }
        maybePrint(nowNanos);
    }

    /** Prints the line if the interval is over. */
    void maybePrint(long nowNanos) {
        long elapsed = nowNanos - windowStart;
        if (intervalNanos <= 0 || elapsed < intervalNanos) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "%d records %s, %.1f records/s (%.2f MB/s)", totalRecords, verb,
                Rates.perSecond(windowRecords, elapsed), Rates.megabytesPerSecond(windowBytes, elapsed)));
        if (window.count() > 0) {
            line.append(String.format(Locale.ROOT, ", latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    Rates.millis(window.percentile(50)), Rates.millis(window.percentile(99)),
                    Rates.millis(window.max())));
        }
        out.println(line);
        out.flush();
        window.reset();
        windowStart = nowNanos;
        windowRecords = 0;
        windowBytes = 0;
    }
}
