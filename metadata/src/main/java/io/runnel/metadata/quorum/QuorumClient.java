package io.runnel.metadata.quorum;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * Sends requests from any node (voter or not) to the current leader's {@link QuorumStateMachine#handleRequest},
 * following leader changes, bounded by {@link QuorumSettings#requestTimeout()}.
 *
 * <p>Requests travel as Ratis read-only requests (default read option): the leader answers them from
 * {@code query} without writing to the log; non-leaders answer NotLeader and the client follows the hint.
 * Each request is sent with Ratis' blocking API on a thread of the client's own: Ratis' ordered async
 * API delivers replies in order (a long poll would hold up every later request) and closes its sliding
 * window for good after one request exhausts its retries, which a leader's death does. A client that
 * failed is rebuilt before the next request. Thread-safe; futures complete on the client's threads.
 */
public final class QuorumClient implements AutoCloseable {

    /**
     * Prefixed to every request: Ratis treats a read whose content is exactly "DUMMY" as a no-op and never
     * calls query(), so no framed request can collide with it.
     */
    private static final byte REQUEST_MARKER = 1;
    private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

    private final java.util.function.Supplier<RaftClient> clients;
    private final java.util.concurrent.atomic.AtomicReference<RaftClient> client;
    private final java.util.concurrent.ExecutorService senders;
    private final Duration requestTimeout;

    private QuorumClient(java.util.function.Supplier<RaftClient> clients, Duration requestTimeout) {
        this.clients = clients;
        this.client = new java.util.concurrent.atomic.AtomicReference<>(clients.get());
        this.requestTimeout = requestTimeout;
        this.senders = java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "runnel-quorum-client");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A client of the quorum made of {@code voters}; connects lazily. */
    public static QuorumClient connect(List<QuorumVoter> voters, QuorumSettings settings) {
        // Ratis' default policy retries forever; stop once the request's whole budget could not be met anyway.
        int attempts = (int) Math.max(1, settings.requestTimeout().toMillis() / RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS));
        RetryPolicy retry = RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, RETRY_SLEEP);
        return new QuorumClient(() -> RaftClient.newBuilder()
                .setProperties(RatisProperties.forClient(settings))
                .setRaftGroup(RatisGroup.of(voters))
                .setRetryPolicy(retry)
                .build(), settings.requestTimeout());
    }

    /**
     * Sends {@code request} to the leader. Fails with {@link TimeoutException} if no leader answers within the
     * request timeout, {@link QuorumUnavailableException} if the retries give up first, and
     * {@link QuorumRequestException} if the leader's handler failed.
     */
    public CompletableFuture<byte[]> send(byte[] request) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        CompletableFuture<RaftClientReply> sent;
        try {
            RaftClient current = client.get();
            sent = CompletableFuture.supplyAsync(() -> {
                try {
                    return current.io().sendReadOnly(Message.valueOf(frame(request)));
                } catch (IOException e) {
                    if (!(e instanceof StateMachineException)) {
                        replace(current);
                    }
                    throw new CompletionException(e);
                }
            }, senders);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((reply, failure) -> {
                    if (failure == null) {
                        result.complete(reply.getMessage().getContent().toByteArray());
                    } else {
                        result.completeExceptionally(translate(failure));
                    }
                });
        return result;
    }

    /** Closes a client that failed and puts a new one in its place, unless another thread did already. */
    private void replace(RaftClient failed) {
        if (client.compareAndSet(failed, clients.get())) {
            try {
                failed.close();
            } catch (IOException | RuntimeException e) {
                // it failed already; nothing more to release
            }
        }
    }

    private Throwable translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            TimeoutException timeout = new TimeoutException("no quorum leader answered within " + requestTimeout);
            timeout.initCause(cause);
            return timeout;
        }
        if (cause instanceof StateMachineException) {
            return new QuorumRequestException(handlerMessage(cause));
        }
        return new QuorumUnavailableException("quorum request failed: " + cause, cause);
    }

    /** The client rebuilds the server's exception around the handler's; the innermost one carries its message. */
    private static String handlerMessage(Throwable stateMachineException) {
        Throwable innermost = stateMachineException;
        while (innermost.getCause() instanceof StateMachineException && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        return innermost.getMessage();
    }

    @Override
    public void close() {
        senders.shutdownNow();
        try {
            client.get().close();
        } catch (IOException e) {
            throw new QuorumUnavailableException("closing the quorum client failed", e);
        }
    }

    static ByteString frame(byte[] request) {
        byte[] framed = new byte[request.length + 1];
        framed[0] = REQUEST_MARKER;
        System.arraycopy(request, 0, framed, 1, request.length);
        return UnsafeByteOperations.unsafeWrap(framed);
    }

    static byte[] unframe(ByteString framed) {
        if (framed.isEmpty() || framed.byteAt(0) != REQUEST_MARKER) {
            throw new IllegalArgumentException("not a quorum client request");
        }
        return framed.substring(1).toByteArray();
    }
}
