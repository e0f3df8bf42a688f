package io.runnel.broker.quota;

import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.protocol.Errors;

/**
 * One request's share of its client's controller mutation quota (KIP-599), as Kafka's
 * ControllerMutationQuota: each topic's partitions (created or deleted) are recorded before the change
 * is made. A strict quota (the newer versions of CreateTopics, CreatePartitions and DeleteTopics) refuses
 * a change while the client's tokens are below zero, with THROTTLING_QUOTA_EXCEEDED; a change that fits is
 * recorded whole, even when it takes the tokens below zero. A permissive quota (older versions, whose
 * clients do not know the error) records every change and only throttles. Used by one request-handler
 * thread.
 */
public final class MutationQuota {

    /** No quota applies to the client. */
    public static final MutationQuota UNBOUNDED = new MutationQuota(null, false, () -> 0L, throttleMs -> { });

    private final MutationBucket bucket;
    private final boolean strict;
    private final LongSupplier clock;
    private final IntConsumer throttled;
    private long throttleMs;
    private long throttledAtMs;

    MutationQuota(MutationBucket bucket, boolean strict, LongSupplier clock, IntConsumer throttled) {
        this.throttled = throttled;
        this.bucket = bucket;
        this.strict = strict;
        this.clock = clock;
    }

    /**
     * Records a change of {@code partitions} partitions.
     *
     * @throws ThrottlingQuotaExceededException (strict quota) the client is over its quota; nothing was recorded
     */
    public void record(int partitions) {
        if (bucket == null) {
            return;
        }
        long nowMs = clock.getAsLong();
        if (strict) {
            double tokens = bucket.tokens(nowMs);
            if (tokens < 0) {
                throttled(bucket.owedMs(tokens), nowMs);
                throw new ThrottlingQuotaExceededException((int) throttleMs, Errors.THROTTLING_QUOTA_EXCEEDED.message());
            }
            bucket.take(partitions, nowMs);
        } else {
            bucket.take(partitions, nowMs);
            double tokens = bucket.tokens(nowMs);
            if (tokens < 0) {
                throttled(bucket.owedMs(tokens), nowMs);
            }
        }
    }

    /** Gives back a change recorded but not made (the controller refused it). */
    public void giveBack(int partitions) {
        if (bucket != null) {
            bucket.take(-partitions, clock.getAsLong());
        }
    }

    /**
     * The throttle time for the answer: the last one a refusal (strict) or an overdraft (permissive) gave,
     * less the time since, as Kafka counts it (the request may have waited on the controller).
     */
    public int throttleTimeMs() {
        if (bucket == null) {
            return 0;
        }
        return (int) Math.max(0, throttleMs - (clock.getAsLong() - throttledAtMs));
    }

    private void throttled(long owedMs, long nowMs) {
        throttleMs = owedMs;
        throttledAtMs = nowMs;
        this.throttled.accept((int) owedMs);
    }
}
