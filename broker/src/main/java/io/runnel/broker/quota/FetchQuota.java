package io.runnel.broker.quota;

import io.runnel.protocol.KafkaRequest;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * The consumer_byte_rate quota on a consumer's Fetch, as Kafka's KafkaApis applies it: the fetch reads at
 * most what the quota lets through in its whole window ({@link #maxBytes}); the answer's size is recorded,
 * and an answer that takes the client over its quota is sent empty with the throttle time, its size taken
 * back, so the client fetches the same records again once the time is up. Thread-safe.
 */
public final class FetchQuota {

    /** Applies no quota. */
    public static final FetchQuota NONE = new FetchQuota(null, System::currentTimeMillis);

    private final ClientQuotaManager fetch;
    private final LongSupplier clock;

    /** The consumer_byte_rate quota of {@code fetch}, {@code clock} in ms. */
    public FetchQuota(ClientQuotaManager fetch, LongSupplier clock) {
        this.fetch = fetch;
        this.clock = clock;
    }

    /** The most a consumer's fetch may read: the request's and the broker's cap, lowered to the client's quota window. */
    public int maxBytes(KafkaRequest request, int requestedMaxBytes) {
        return fetch == null ? requestedMaxBytes : Math.min(requestedMaxBytes, fetch.maxValueInQuotaWindow(request.principal(), request.clientId()));
    }

    /** Records a consumer's answer; when it goes over the quota, empties it and sets its throttle time. */
    public FetchResponseData throttle(KafkaRequest request, FetchResponseData response) {
        if (fetch == null || !fetch.limits(request.principal(), request.clientId())) {
            return response;
        }
        int size = response.size(new ObjectSerializationCache(), request.apiVersion());
        long now = clock.getAsLong();
        int throttleMs = fetch.recordAndGetThrottleTimeMs(request.principal(), request.clientId(), size, now);
        if (throttleMs <= 0) {
            return response;
        }
        fetch.unrecord(request.principal(), request.clientId(), size, now);
        return new FetchResponseData().setThrottleTimeMs(throttleMs).setSessionId(response.sessionId());
    }
}
