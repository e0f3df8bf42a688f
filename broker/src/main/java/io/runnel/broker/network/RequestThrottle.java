package io.runnel.broker.network;

import io.runnel.protocol.KafkaRequest;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Decides, once a request is answered and before its answer is encoded, whether its client went over a
 * quota: it may set the answer's {@code throttle_time_ms}, and returns how long the connection then
 * stays muted. As in Kafka (KIP-219) the answer leaves at once and the connection reads nothing more,
 * and serves nothing more, until the time is up. Implementations must be thread-safe and must not
 * throw; they run on the thread that completed the request.
 */
@FunctionalInterface
public interface RequestThrottle {

    /** Throttles no one. */
    RequestThrottle NONE = (request, response, requestBytes) -> 0;

    /**
     * @param response     the answer, or null when the request gets none (a produce with acks=0)
     * @param requestBytes the size of the request as read (its frame without the length prefix)
     * @return how long to mute the connection after the answer is sent, in ms; 0 for not at all
     */
    int throttleMs(KafkaRequest request, ApiMessage response, int requestBytes);
}
