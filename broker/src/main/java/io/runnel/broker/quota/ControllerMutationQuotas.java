package io.runnel.broker.quota;

import io.runnel.broker.config.QuotaWindow;
import io.runnel.protocol.KafkaRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * The controller_mutation_rate quotas of this broker (KIP-599): partitions created or deleted per second
 * by CreateTopics, CreatePartitions and DeleteTopics, per (user, client-id) with the precedence of the
 * other client quotas ({@link QuotaResolver}), in token buckets ({@link MutationBucket}). These requests
 * are rare, so a client is resolved on each of them. Thread-safe.
 */
public final class ControllerMutationQuotas {

    private final QuotaWindow window;
    private final Supplier<Map<ClientQuotaEntity, Map<String, Double>>> quotas;
    private final LongSupplier clock;
    private final IntConsumer throttled;
    /** By tags; kept across quota changes, so a changed limit applies to the tokens already taken. */
    private final Map<QuotaResolver.QuotaTags, MutationBucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param window    {@code controller.quota.window.*}: with the limit, the burst a client may take at once
     * @param quotas    the current quotas (the metadata image's)
     * @param clock     ms
     * @param throttled told each throttle time handed out (the throttle-time meter)
     */
    public ControllerMutationQuotas(QuotaWindow window, Supplier<Map<ClientQuotaEntity, Map<String, Double>>> quotas, LongSupplier clock,
                                    IntConsumer throttled) {
        this.window = window;
        this.quotas = quotas;
        this.clock = clock;
        this.throttled = throttled;
    }

    /**
     * The quota of the request's client, strict from {@code strictSinceVersion} of its API on (Kafka's
     * {@code newQuotaFor}), permissive below, {@link MutationQuota#UNBOUNDED} when no quota applies.
     */
    public MutationQuota forRequest(KafkaRequest request, int strictSinceVersion) {
        String clientId = request.clientId() == null ? "" : request.clientId();
        QuotaResolver.Resolution resolution = QuotaResolver.resolve(quotas.get(), QuotaKey.CONTROLLER_MUTATION_RATE.key(),
                request.principal().getName(), clientId);
        if (resolution.limit() == null) {
            return MutationQuota.UNBOUNDED;
        }
        long nowMs = clock.getAsLong();
        forgetIdle(nowMs);
        double limit = resolution.limit();
        MutationBucket bucket = buckets.computeIfAbsent(resolution.tags(), tags -> new MutationBucket(window, limit, nowMs));
        bucket.limit(limit);
        return new MutationQuota(bucket, request.apiVersion() >= strictSinceVersion, clock, throttled);
    }

    /** As Kafka drops idle quota sensors: the buckets of clients idle for the expiry start full again. */
    private void forgetIdle(long nowMs) {
        buckets.values().removeIf(bucket -> bucket.idleSince(nowMs - ClientQuotaManager.IDLE_EXPIRY_MS));
    }
}
