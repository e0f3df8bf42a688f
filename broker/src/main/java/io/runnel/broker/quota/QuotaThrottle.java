package io.runnel.broker.quota;

import io.runnel.broker.network.RequestThrottle;
import io.runnel.protocol.KafkaRequest;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The client quotas' say on each answer, as Kafka's KafkaApis has it: a Produce records its request's
 * size against the producer_byte_rate quota once it is appended (acks=0 included: its connection is
 * muted too) and carries the throttle time; a Fetch was throttled by its handler, which knows what it
 * read ({@link FetchQuota}), and its connection is muted for the time the answer carries; so are those of
 * CreateTopics, CreatePartitions and DeleteTopics, throttled by their handlers ({@link MutationQuota}). Thread-safe.
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
        switch (request.apiKey()) {
            case PRODUCE -> {
                int throttleMs = produce.recordAndGetThrottleTimeMs(request.principal(), request.clientId(), requestBytes, clock.getAsLong());
                if (response instanceof ProduceResponseData answer) {
                    answer.setThrottleTimeMs(throttleMs);
                }
                return throttleMs;
            }
            case FETCH -> {
                return response instanceof FetchResponseData answer ? answer.throttleTimeMs() : 0;
            }
            case CREATE_TOPICS -> {
                return response instanceof CreateTopicsResponseData answer ? answer.throttleTimeMs() : 0;
            }
            case CREATE_PARTITIONS -> {
                return response instanceof CreatePartitionsResponseData answer ? answer.throttleTimeMs() : 0;
            }
            case DELETE_TOPICS -> {
                return response instanceof DeleteTopicsResponseData answer ? answer.throttleTimeMs() : 0;
            }
            default -> {
                return 0;
            }
        }
    }
}
