package io.runnel.broker.quota;

import io.runnel.broker.config.QuotaWindow;
import io.runnel.protocol.KafkaRequest;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The request_percentage quota, as Kafka's ClientRequestQuotaManager: the time a request spent on a
 * request-handler thread, as a percentage of one thread over the quota window, per (user, client-id); over
 * the quota the answer carries the throttle time (at most one window) and the connection is muted.
 * Requests Kafka exempts are not recorded: ApiVersions, the SASL exchange, and brokers' own requests
 * (follower fetches, transaction markers). Thread-safe.
 */
public final class RequestTimeQuota {

    /** Kafka's NanosToPercentagePerSecond. */
    private static final double NANOS_TO_PERCENTAGE = 100.0 / TimeUnit.SECONDS.toNanos(1);
    private static final Set<ApiKeys> EXEMPT = EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE,
            ApiKeys.WRITE_TXN_MARKERS);

    private final ClientQuotaManager manager;
    private final int maxThrottleMs;

    /** Enforcing the request_percentage quotas of {@code manager}, measured over {@code window}. */
    public RequestTimeQuota(ClientQuotaManager manager, QuotaWindow window) {
        this.manager = manager;
        this.maxThrottleMs = window.sampleSeconds() * 1000;
    }

    /**
     * Records {@code threadNanos} spent handling {@code request} at {@code nowMs}.
     *
     * @return the throttle time in ms, 0 within the quota, without one, or for an exempt request
     */
    public int recordAndGetThrottleTimeMs(KafkaRequest request, long threadNanos, long nowMs) {
        if (isExempt(request)) {
            return 0;
        }
        int throttleMs = manager.recordAndGetThrottleTimeMs(request.principal(), request.clientId(), threadNanos * NANOS_TO_PERCENTAGE, nowMs);
        return Math.min(throttleMs, maxThrottleMs);
    }

    private static boolean isExempt(KafkaRequest request) {
        if (EXEMPT.contains(request.apiKey())) {
            return true;
        }
        return request.body() instanceof FetchRequestData fetch && (fetch.replicaId() >= 0 || fetch.replicaState().replicaId() >= 0);
    }
}
