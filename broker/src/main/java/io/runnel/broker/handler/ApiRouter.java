package io.runnel.broker.handler;

import io.runnel.broker.quota.RequestTimeQuota;
import io.runnel.broker.quota.ResponseThrottleTime;
import io.runnel.broker.network.CloseConnectionException;
import io.runnel.broker.network.RequestHandler;
import io.runnel.protocol.ErrorResponses;
import io.runnel.protocol.KafkaRequest;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Set;
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
 * threads never block. Requests that wait for the active controller (topic and config changes,
 * producer-id blocks) run on a pool of their own: when the metadata quorum has no leader they wait
 * up to their timeout, and must not hold up produce and fetch meanwhile. A failure that escapes a
 * handler becomes Kafka's error response for the request rather than a dropped connection.
 * Thread-safe once built.
 */
public final class ApiRouter implements RequestHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

    /** The APIs whose handlers wait for the active controller. */
    public static final Set<ApiKeys> CONTROLLER_BOUND = EnumSet.of(ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS, ApiKeys.CREATE_PARTITIONS,
            ApiKeys.ALTER_CONFIGS, ApiKeys.INCREMENTAL_ALTER_CONFIGS, ApiKeys.ELECT_LEADERS, ApiKeys.INIT_PRODUCER_ID, ApiKeys.FIND_COORDINATOR,
            ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ApiKeys.UPDATE_FEATURES, ApiKeys.CREATE_ACLS, ApiKeys.DELETE_ACLS,
            ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, ApiKeys.ALTER_CLIENT_QUOTAS);

    private final Map<ApiKeys, ApiHandler> handlers;
    private final ExecutorService requestHandlerPool;
    private final ExecutorService controllerBoundPool;

    private final RequestTimeQuota requestQuota;

    /** A router over the given handlers, running them on {@code requestHandlerPool} or, for {@link #CONTROLLER_BOUND} APIs, {@code controllerBoundPool}. */
    public ApiRouter(Map<ApiKeys, ApiHandler> handlers, ExecutorService requestHandlerPool, ExecutorService controllerBoundPool) {
        this(handlers, requestHandlerPool, controllerBoundPool, null);
    }

    /** As above, recording each handler's time on its thread against {@code requestQuota} (request_percentage), or null. */
    public ApiRouter(Map<ApiKeys, ApiHandler> handlers, ExecutorService requestHandlerPool, ExecutorService controllerBoundPool,
                     RequestTimeQuota requestQuota) {
        this.handlers = new EnumMap<>(handlers);
        this.requestHandlerPool = requestHandlerPool;
        this.controllerBoundPool = controllerBoundPool;
        this.requestQuota = requestQuota;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ApiHandler handler = handlers.get(request.apiKey());
        ExecutorService pool = CONTROLLER_BOUND.contains(request.apiKey()) ? controllerBoundPool : requestHandlerPool;
        return CompletableFuture.supplyAsync(() -> timed(handler, request), pool)
                .thenCompose(response -> response)
                .exceptionally(error -> errorResponse(request, unwrap(error)));
    }

    /**
     * Runs the handler, recording the time it took on this thread (Kafka's request-thread time: what the
     * handler does before it returns, not what it waits for); a throttled client's answer carries the time.
     */
    private CompletableFuture<ApiMessage> timed(ApiHandler handler, KafkaRequest request) {
        if (requestQuota == null) {
            return handler.handle(request);
        }
        long start = System.nanoTime();
        CompletableFuture<ApiMessage> response = handler.handle(request);
        int throttleMs = requestQuota.recordAndGetThrottleTimeMs(request, System.nanoTime() - start, System.currentTimeMillis());
        if (throttleMs == 0) {
            return response;
        }
        return response.thenApply(answer -> {
            ResponseThrottleTime.raise(request.apiKey(), answer, throttleMs);
            return answer;
        });
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
