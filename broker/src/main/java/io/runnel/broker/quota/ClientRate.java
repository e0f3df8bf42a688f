package io.runnel.broker.quota;

import io.runnel.broker.config.QuotaWindow;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * The rate of one quota's clients (one set of tags) against its limit, measured as Kafka measures
 * it: kafka-clients' {@link Rate} over {@code quota.window.num} samples of
 * {@code quota.window.size.seconds}. A value that takes the rate over the limit is recorded all the
 * same and answered with Kafka's throttle time: how long the clients must wait for the rate to come
 * back to the limit, {@code (rate - limit) / limit * window}. Thread-safe (one lock per rate, taken
 * once per request).
 */
public final class ClientRate {

    private final MetricConfig config;
    private final Rate rate = new Rate();
    private volatile double limit;
    private volatile long lastRecordMs;

    /** A rate measured over {@code window}, held to {@code limit} per second. */
    public ClientRate(QuotaWindow window, double limit) {
        this.config = new MetricConfig().samples(window.samples()).timeWindow(window.sampleSeconds(), TimeUnit.SECONDS);
        this.limit = limit;
        this.lastRecordMs = System.currentTimeMillis();
    }

    /** Takes a new limit (the quotas changed); the history stays. */
    public void limit(double newLimit) {
        limit = newLimit;
    }

    double limit() {
        return limit;
    }

    /** Records {@code value} at {@code nowMs}; returns how long its clients must be throttled, 0 when the rate is within the limit. */
    public synchronized int record(double value, long nowMs) {
        lastRecordMs = nowMs;
        rate.record(config, value, nowMs);
        double measured = rate.measure(config, nowMs);
        if (measured <= limit) {
            return 0;
        }
        return (int) Math.round((measured - limit) / limit * rate.windowSize(config, nowMs));
    }

    /** Takes back a value recorded at {@code nowMs} (a throttled fetch sends nothing), as Kafka does by recording its negative. */
    public synchronized void unrecord(double value, long nowMs) {
        rate.record(config, -value, nowMs);
    }

    /** Whether nothing was recorded since {@code sinceMs}. */
    public boolean idleSince(long sinceMs) {
        return lastRecordMs < sinceMs;
    }

    /** The rate now, per second. */
    synchronized double measure(long nowMs) {
        return rate.measure(config, nowMs);
    }

    /** The most that may be taken at once without being throttled even after a quiet window: Kafka's cap on a fetch. */
    double maxValueInWindow() {
        return limit * (config.samples() - 1) * config.timeWindowMs() / 1000.0;
    }
}
