package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Answers one Kafka API. Runs on a request-handler thread, where it may do disk I/O; a handler that
 * must wait (a long-polling fetch) returns a future that completes later, and frees the thread.
 */
@FunctionalInterface
public interface ApiHandler {

    /** Handles the request; the future holds the response, or null for no response. */
    CompletableFuture<ApiMessage> handle(KafkaRequest request);
}
