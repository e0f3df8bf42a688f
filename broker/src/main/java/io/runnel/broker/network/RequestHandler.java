package io.runnel.broker.network;

import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Answers requests. Called on an event loop thread; must not block it: work that may block runs
 * elsewhere and completes the future. The future completes with the response body, or with
 * {@code null} when the request gets no response (produce with acks=0).
 */
@FunctionalInterface
public interface RequestHandler {

    /** Starts handling a request and returns its eventual response. */
    CompletableFuture<ApiMessage> handle(KafkaRequest request);
}
