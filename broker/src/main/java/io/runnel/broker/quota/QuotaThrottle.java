package io.runnel.broker.quota;

import io.runnel.broker.network.RequestThrottle;
import io.runnel.protocol.KafkaRequest;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The client quotas' say on each answer, as Kafka's KafkaApis has it: a Produce records its request's
 * size against the producer_byte_rate quota once it is appended (acks=0 included: its connection is
 * muted too) and carries the throttle time; a Fetch was throttled by its handler, which knows what it
 * read ({@link FetchQuota}), and its connection is muted for the time the answer carries; so are those of
 * CreateTopics, CreatePartitions and DeleteTopics, throttled by their handlers ({@link MutationQuota}), and any
 * answer the request_percentage quota throttled ({@link RequestTimeQuota}). The longest throttle wins. Thread-safe.
 */
public final class QuotaThrottle implements RequestThrottle {

    private final ClientQuotaManager produce;
    private final LongSupplier clock;

    /** Throttling with the produce quota, {@code clock} in ms. */
    public QuotaThrottle(ClientQuotaManager produce, LongSupplier clock) {
        this.produce = produce;
        this.clock = clock;
    }

    @Override
    public int throttleMs(KafkaRequest request, ApiMessage response, int requestBytes) {
        if (request.apiKey() == ApiKeys.PRODUCE) {
            int throttleMs = Math.max(ResponseThrottleTime.of(ApiKeys.PRODUCE, response),
                    produce.recordAndGetThrottleTimeMs(request.principal(), request.clientId(), requestBytes, clock.getAsLong()));
            if (response instanceof ProduceResponseData answer) {
                answer.setThrottleTimeMs(throttleMs);
            }
            return throttleMs;
        }
        return ResponseThrottleTime.of(request.apiKey(), response);
    }
}
