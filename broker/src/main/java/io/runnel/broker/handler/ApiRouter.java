package io.runnel.broker.handler;

import io.runnel.broker.network.CloseConnectionException;
import io.runnel.broker.network.RequestHandler;
import io.runnel.protocol.ErrorResponses;
import io.runnel.protocol.KafkaRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch table: each API key to its handler, run on the request-handler pool so the network
 * threads never block. A failure that escapes a handler becomes Kafka's error response for the
 * request rather than a dropped connection. Thread-safe once built.
 */
public final class ApiRouter implements RequestHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

    private final Map<ApiKeys, ApiHandler> handlers;
    private final ExecutorService requestHandlerPool;

    /** A router over the given handlers, running them on {@code requestHandlerPool}. */
    public ApiRouter(Map<ApiKeys, ApiHandler> handlers, ExecutorService requestHandlerPool) {
        this.handlers = new EnumMap<>(handlers);
        this.requestHandlerPool = requestHandlerPool;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ApiHandler handler = handlers.get(request.apiKey());
        return CompletableFuture.supplyAsync(() -> handler.handle(request), requestHandlerPool)
                .thenCompose(response -> response)
                .exceptionally(error -> errorResponse(request, unwrap(error)));
    }

    private static ApiMessage errorResponse(KafkaRequest request, Throwable error) {
        if (error instanceof CloseConnectionException close) {
            throw close;
        }
        if (error instanceof ApiException) {
            log.debug("{} from {} failed: {}", request.apiKey(), request.clientId(), error.getMessage());
        } else {
            log.error("Unexpected error handling {} v{} from client {}", request.apiKey(), request.apiVersion(), request.clientId(), error);
        }
        return ErrorResponses.forFailure(request, error);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
