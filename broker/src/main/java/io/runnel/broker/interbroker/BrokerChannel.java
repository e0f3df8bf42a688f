package io.runnel.broker.interbroker;

import io.runnel.metadata.BrokerEndpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests to one other broker, batched: a thread takes everything queued so far and sends it as one
 * request, with one request in flight, as Kafka's inter-broker channels (transaction markers,
 * partition verification) do. What to send and how to settle the answers is the {@link Exchange}'s.
 *
 * @param <E> one queued entry (a marker, a partition to verify)
 */
public final class BrokerChannel<E> implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerChannel.class);

    private static final int CONNECT_TIMEOUT_MS = 10_000;

    /** Turns a batch into one request and settles each entry with its answer. */
    public interface Exchange<E> {

        /** Sends {@code batch} over {@code connection} and settles every entry of it. */
        void exchange(BrokerConnection connection, List<E> batch) throws IOException;

        /** Settles every entry of a batch whose request failed before an answer came (a lost connection). */
        void failed(List<E> batch, IOException cause);
    }

    private record Queued<E>(E entry, BrokerEndpoint endpoint) {
    }

    private final int brokerId;
    private final String clientId;
    private final int answerTimeoutMs;
    private final InterBrokerSecurity security;
    private final Exchange<E> exchange;
    private final BlockingQueue<Queued<E>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private BrokerConnection connection;
    private BrokerEndpoint connectedTo;
    private volatile boolean closed;

    private BrokerChannel(String name, int brokerId, String clientId, int answerTimeoutMs, InterBrokerSecurity security, Exchange<E> exchange) {
        this.security = security;
        this.brokerId = brokerId;
        this.clientId = clientId;
        this.answerTimeoutMs = answerTimeoutMs;
        this.exchange = exchange;
        this.thread = new Thread(this, name + "-to-" + brokerId);
        this.thread.setDaemon(true);
    }

    /**
     * Starts the channel's thread.
     *
     * @param name            the thread's name, followed by {@code -to-<brokerId>}
     * @param answerTimeoutMs how long an answer may take before the connection counts as lost
     * @param security             the inter-broker listener's TLS and SASL login, or {@link InterBrokerSecurity#PLAINTEXT}
     */
    public static <E> BrokerChannel<E> start(String name, int brokerId, String clientId, int answerTimeoutMs, InterBrokerSecurity security, Exchange<E> exchange) {
        BrokerChannel<E> channel = new BrokerChannel<>(name, brokerId, clientId, answerTimeoutMs, security, exchange);
        channel.thread.start();
        return channel;
    }

    /** Queues {@code entry} for the broker, reached at {@code endpoint}. */
    public void enqueue(E entry, BrokerEndpoint endpoint) {
        queue.add(new Queued<>(entry, endpoint));
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                List<Queued<E>> batch = new ArrayList<>();
                batch.add(queue.take());
                queue.drainTo(batch);
                send(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            disconnect();
        }
    }

    private void send(List<Queued<E>> batch) {
        List<E> entries = batch.stream().map(Queued::entry).toList();
        try {
            exchange.exchange(connect(batch.get(batch.size() - 1).endpoint()), entries);
        } catch (IOException e) {
            if (!closed) {
                log.info("Request to broker {} failed ({}); {} entries settled as failed", brokerId, e.toString(), entries.size());
            }
            disconnect();
            exchange.failed(entries, e);
        }
    }

    private BrokerConnection connect(BrokerEndpoint endpoint) throws IOException {
        if (connection != null && endpoint.equals(connectedTo) && !connection.closedByPeer()) {
            return connection;
        }
        disconnect();
        connection = BrokerConnection.open(endpoint.host(), endpoint.port(), clientId, CONNECT_TIMEOUT_MS, answerTimeoutMs, security);
        connectedTo = endpoint;
        return connection;
    }

    private void disconnect() {
        if (connection != null) {
            connection.close();
            connection = null;
            connectedTo = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
