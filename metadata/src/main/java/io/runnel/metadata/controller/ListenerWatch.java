package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerEndpoint;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One idle TCP connection from the active controller to the listener of one broker process (one broker
 * epoch), watched only for the moment it closes: nothing is sent, and a Kafka listener sends nothing
 * unasked. A close means the process died (the kernel closes a killed process's sockets at once, so
 * the peer hears of it within a round trip) or only dropped the connection; connecting again after
 * {@link #RECONNECT_DELAY_MS} tells the two apart. A refusal means nothing listens on the port any
 * more: the broker is reported dead, once. Anything else (a connection, silence, an unreachable host)
 * is no proof of death: the watch keeps trying, and the session timeout stays the judge of brokers
 * that fall silent. A broker never reached in this epoch is never reported, as its advertised
 * address may simply not be reachable from the controller.
 *
 * <p>Confined to the detector's thread: the channel group's thread hands every I/O outcome over to it.
 */
final class ListenerWatch {

    /** How long after a close the watch connects again: time for a dying process's listening socket to close too. */
    static final long RECONNECT_DELAY_MS = 50;
    /** The longest wait between attempts, for a listener that stays out of reach or keeps dropping the connection. */
    static final long MAX_RETRY_DELAY_MS = 5_000;
    /** An attempt unanswered by then is given up: silence is not refusal (and the kernel's own timeout, a ConnectException too, never comes first). */
    static final long CONNECT_TIMEOUT_MS = 2_000;

    /** The broker process watched: its id, the epoch it registered with, and the endpoint it listens on. */
    record Target(int brokerId, long brokerEpoch, BrokerEndpoint endpoint) {
        @Override
        public String toString() {
            return "broker " + brokerId + " (epoch " + brokerEpoch + ") at " + endpoint.host() + ":" + endpoint.port();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ListenerWatch.class);

    private final Target target;
    private final ScheduledExecutorService thread;
    private final AsynchronousChannelGroup group;
    private final DeadBrokerDetector.Listener listener;
    /** Where anything the broker sends goes; it sends nothing to a client that asks nothing. */
    private final ByteBuffer discard = ByteBuffer.allocate(64);
    /** The current connection or attempt; outcomes of any other are stale. */
    private AsynchronousSocketChannel channel;
    private long connectedAtNanos;
    private boolean connected;
    private boolean reachedOnce;
    /** Attempts since the last connection that lasted, for the back-off. */
    private int retries;
    private boolean stopped;

    ListenerWatch(Target target, ScheduledExecutorService thread, AsynchronousChannelGroup group, DeadBrokerDetector.Listener listener) {
        this.target = target;
        this.thread = thread;
        this.group = group;
        this.listener = listener;
    }

    Target target() {
        return target;
    }

    void start() {
        connect();
    }

    /** Closes the connection; nothing is reported after this. */
    void stop() {
        stopped = true;
        closeChannel();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        connected = false;
        try {
            AsynchronousSocketChannel attempt = AsynchronousSocketChannel.open(group);
            channel = attempt;
            // resolved on this thread, not the controller's: a slow DNS holds up only the watches
            InetSocketAddress address = new InetSocketAddress(target.endpoint().host(), target.endpoint().port());
            if (address.isUnresolved()) {
                retryLater();
                return;
            }
            attempt.connect(address, null, onThread(ignored -> onConnected(attempt), error -> onConnectFailed(attempt, error)));
            thread.schedule(() -> giveUp(attempt), CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            retryLater();
        }
    }

    private void onConnected(AsynchronousSocketChannel attempt) {
        if (attempt != channel || stopped) {
            return;
        }
        connected = true;
        if (!reachedOnce) {
            log.debug("Watching the connection to {}", target);
        }
        reachedOnce = true;
        connectedAtNanos = System.nanoTime();
        read(attempt);
    }

    private void read(AsynchronousSocketChannel connection) {
        discard.clear();
        try {
            connection.read(discard, null, onThread(count -> onRead(connection, count), error -> onClosed(connection)));
        } catch (RuntimeException e) {
            onClosed(connection);
        }
    }

    private void onRead(AsynchronousSocketChannel connection, int count) {
        if (count < 0) {
            onClosed(connection);
        } else if (connection == channel && !stopped) {
            read(connection);
        }
    }

    /** The connection closed: the broker dropped it or died; connecting again soon tells which. */
    private void onClosed(AsynchronousSocketChannel connection) {
        if (connection != channel || stopped) {
            return;
        }
        closeChannel();
        boolean lasted = System.nanoTime() - connectedAtNanos >= TimeUnit.MILLISECONDS.toNanos(MAX_RETRY_DELAY_MS);
        retries = lasted ? 0 : retries + 1;
        log.debug("The connection to {} closed; connecting again in {} ms", target, retryDelayMs());
        schedule(this::connect, retryDelayMs());
    }

    private void onConnectFailed(AsynchronousSocketChannel attempt, Throwable error) {
        if (attempt != channel || stopped) {
            return;
        }
        closeChannel();
        // a ConnectException before our own timeout is the kernel's ECONNREFUSED: nothing listens on the port
        if (reachedOnce && error instanceof ConnectException) {
            stopped = true;
            listener.onDeadBroker(target.brokerId(), target.brokerEpoch(), target.endpoint());
            return;
        }
        retryLater();
    }

    private void giveUp(AsynchronousSocketChannel attempt) {
        if (attempt == channel && !connected) {
            // the pending connect fails with AsynchronousCloseException, which is retried
            closeChannel();
        }
    }

    private void retryLater() {
        closeChannel();
        retries++;
        schedule(this::connect, retryDelayMs());
    }

    private long retryDelayMs() {
        return Math.min(RECONNECT_DELAY_MS << Math.min(retries, 16), MAX_RETRY_DELAY_MS);
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing an idle socket: nothing to lose
            }
        }
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            thread.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the detector is closing
        }
    }

    /** A completion handler that runs {@code completed} or {@code failed} on the detector's thread. */
    private <V> CompletionHandler<V, Void> onThread(Consumer<V> completed, Consumer<Throwable> failed) {
        return new CompletionHandler<>() {
            @Override
            public void completed(V result, Void attachment) {
                handOver(() -> completed.accept(result));
            }

            @Override
            public void failed(Throwable error, Void attachment) {
                handOver(() -> failed.accept(error));
            }
        };
    }

    private void handOver(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // the detector is closing
        }
    }
}
