package io.runnel.bench.compare;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a process's resident memory every 100 ms on a daemon thread and keeps the peak since the
 * last {@link #reset()}. Thread-safe.
 */
final class RssSampler implements AutoCloseable {

    private static final long PERIOD_MS = 100;

    private final long pid;
    private final AtomicLong peak = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rss-sampler");
        thread.setDaemon(true);
        return thread;
    });

    RssSampler(long pid) {
        this.pid = pid;
        timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        long rss = ProcFs.rssBytes(pid);
        peak.accumulateAndGet(rss, Math::max);
    }

    /** Forgets the peak so far. */
    void reset() {
        peak.set(ProcFs.rssBytes(pid));
    }

    /** The largest resident size seen since the last reset, in bytes. */
    long peak() {
        sample();
        return peak.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
