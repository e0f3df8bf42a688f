package io.runnel.broker.network;

import io.runnel.protocol.KafkaRequest;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * What the network layer tells about each request it serves, for metrics. Implementations must be
 * thread-safe, cheap and must not throw: they run on request-handler threads and on event loops.
 */
public interface RequestListener {

    /** Tells nothing to no one. */
    RequestListener NONE = new RequestListener() {
        @Override
        public void onResponse(KafkaRequest request, ApiMessage response) {
        }

        @Override
        public void onCompleted(ApiKeys apiKey, long elapsedNanos) {
        }
    };

    /**
     * A request was answered with {@code response} (null: it gets none), before the response is
     * encoded. Called on the thread that completed the request (a request-handler thread, mostly),
     * or on the event loop when the request was complete before the connection asked.
     */
    void onResponse(KafkaRequest request, ApiMessage response);

    /**
     * A request is finished: its response was written to the socket, or it had none, or its
     * connection was closed. {@code elapsedNanos} counts from the moment its frame was read. Called on
     * the connection's event loop.
     */
    void onCompleted(ApiKeys apiKey, long elapsedNanos);
}
