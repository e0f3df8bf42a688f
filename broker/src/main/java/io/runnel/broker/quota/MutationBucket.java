package io.runnel.broker.quota;

import io.runnel.broker.config.QuotaWindow;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Quota;
import org.apache.kafka.common.metrics.stats.TokenBucket;

/**
 * The controller mutation quota of one set of clients (one set of tags), measured as Kafka's
 * ControllerMutationQuotaManager measures it: kafka-clients' {@link TokenBucket}, refilled at the quota
 * (partitions per second) up to a burst of quota x samples x window, which a mutation may take below
 * zero; while it is below zero, the clients owe {@code -tokens / quota} seconds. Thread-safe.
 */
final class MutationBucket {

    private final MetricConfig config;
    private final TokenBucket bucket = new TokenBucket();
    private long lastTakenMs;

    MutationBucket(QuotaWindow window, double limit, long nowMs) {
        this.config = new MetricConfig().samples(window.samples()).timeWindow(window.sampleSeconds(), TimeUnit.SECONDS)
                .quota(Quota.upperBound(limit));
        this.lastTakenMs = nowMs;
    }

    /** Takes a new limit (the quotas changed); the tokens stay. */
    synchronized void limit(double newLimit) {
        config.quota(Quota.upperBound(newLimit));
    }

    /** The tokens left at {@code nowMs}: below zero, the clients are over their quota. */
    synchronized double tokens(long nowMs) {
        return bucket.measure(config, nowMs);
    }

    /** How long it takes {@code tokens} below zero to come back to zero, in ms (Kafka's throttle time). */
    synchronized long owedMs(double tokens) {
        return Math.round(-tokens / config.quota().bound() * 1000);
    }

    /** Takes {@code permits} at {@code nowMs}, below zero if need be. */
    synchronized void take(double permits, long nowMs) {
        lastTakenMs = nowMs;
        bucket.record(config, permits, nowMs);
    }

    /** Whether nothing was taken since {@code sinceMs}. */
    synchronized boolean idleSince(long sinceMs) {
        return lastTakenMs < sinceMs;
    }
}
