package io.runnel.broker.handler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * Where a transactional produce continues once its partition verification is known. When the answer
 * is there at once (the producer's transaction is already open on every partition, as for all but the
 * first batch of each partition in a transaction) the append runs on the request handler thread that
 * asked, with no hand-off; only an answer from the transaction coordinator, completed on the
 * verification channel's thread, is handed to a request handler. Kafka does the same
 * ({@code KafkaRequestHandler.wrapAsyncCallback} runs the callback in place on the asking request
 * thread). Thread-safe.
 */
final class AfterVerification {

    private final Executor requestHandlers;

    /** @param requestHandlers where appends run whose verification completed on another thread */
    AfterVerification(Executor requestHandlers) {
        this.requestHandlers = requestHandlers;
    }

    /** Applies {@code next} to the verification's outcome or failure: at once if it is known, else on a request handler. */
    <T, R> CompletableFuture<R> then(CompletableFuture<T> verification, BiFunction<? super T, Throwable, ? extends R> next) {
        return verification.isDone() ? verification.handle(next) : verification.handleAsync(next, requestHandlers);
    }
}
