package io.runnel.cli.perf;

import java.io.PrintStream;

/**
 * What a producer run has seen so far: acknowledged records and bytes, send-to-acknowledgement
 * latencies (microseconds), failures. Thread-safe: the producer's I/O thread records acknowledgements
 * while the sending thread reads the totals at the end.
 */
final class ProduceStats {

    private final LatencyHistogram latencies = new LatencyHistogram();
    private final ProgressLine progress;
    private final PrintStream err;
    private long records;
    private long bytes;
    private long errors;

    ProduceStats(ProgressLine progress, PrintStream err) {
        this.progress = progress;
        this.err = err;
    }

    /** One record sent at {@code sentNanos} was acknowledged (or failed, with {@code error}) now. */
    synchronized void completed(long sentNanos, long nowNanos, int recordBytes, Exception error) {
        if (error != null) {
            if (errors++ == 0) {
                err.println("runnel perf: send failed: " + error);
            }
            return;
        }
        long micros = (nowNanos - sentNanos) / 1000;
        latencies.record(micros);
        records++;
        bytes += recordBytes;
        progress.record(recordBytes, micros, nowNanos);
    }

    synchronized long records() {
        return records;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long errors() {
        return errors;
    }

    /** A copy of the latencies so far. */
    synchronized LatencyHistogram latencies() {
        LatencyHistogram copy = new LatencyHistogram();
        copy.add(latencies);
        return copy;
    }
}
