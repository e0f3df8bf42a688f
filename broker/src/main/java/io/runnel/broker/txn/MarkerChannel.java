package io.runnel.broker.txn;

import io.runnel.broker.interbroker.BrokerConnection;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.transaction.TxnMarkers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The markers bound for one other broker, and the thread that sends them: everything queued goes out
 * in one WriteTxnMarkers request, one request in flight, as Kafka's marker channel does. Results go
 * back to the {@link TxnMarkerSender}; a lost connection fails the whole request with
 * NETWORK_EXCEPTION, so every marker in it is tried again.
 */
final class MarkerChannel implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MarkerChannel.class);

    /** The highest WriteTxnMarkers version this broker sends (v2 carries each marker's transaction version). */
    private static final short HIGHEST_VERSION = 2;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** Longer than the leader's wait for its marker to replicate ({@code request.timeout.ms}, 30 s). */
    private static final int ANSWER_TIMEOUT_MS = 40_000;

    private record Queued(PendingMarker marker, BrokerEndpoint endpoint) {
    }

    private final int brokerId;
    private final String clientId;
    private final TxnMarkerSender sender;
    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private BrokerConnection connection;
    private BrokerEndpoint connectedTo;
    private volatile boolean closed;

    private MarkerChannel(int brokerId, int localId, TxnMarkerSender sender) {
        this.brokerId = brokerId;
        this.clientId = "runnel-txn-markers-" + localId;
        this.sender = sender;
        this.thread = new Thread(this, "runnel-txn-markers-to-" + brokerId);
        this.thread.setDaemon(true);
    }

    static MarkerChannel start(int brokerId, int localId, TxnMarkerSender sender) {
        MarkerChannel channel = new MarkerChannel(brokerId, localId, sender);
        channel.thread.start();
        return channel;
    }

    /** Queues {@code marker} for the leader at {@code endpoint}. */
    void enqueue(PendingMarker marker, BrokerEndpoint endpoint) {
        queue.add(new Queued(marker, endpoint));
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                List<Queued> batch = new ArrayList<>();
                batch.add(queue.take());
                queue.drainTo(batch);
                sendBatch(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            disconnect();
        }
    }

    private void sendBatch(List<Queued> batch) {
        List<PendingMarker> markers = batch.stream().map(Queued::marker).toList();
        try {
            BrokerConnection open = connect(batch.get(batch.size() - 1).endpoint());
            short version = open.version(ApiKeys.WRITE_TXN_MARKERS, HIGHEST_VERSION);
            if (version < 0) {
                log.error("Broker {} does not serve WriteTxnMarkers; {} marker(s) wait for it", brokerId, markers.size());
                markers.forEach(marker -> sender.onResult(marker, Errors.NETWORK_EXCEPTION));
                return;
            }
            WriteTxnMarkersResponseData answer = (WriteTxnMarkersResponseData) open.send(ApiKeys.WRITE_TXN_MARKERS, version, request(markers));
            Map<Long, Map<TopicPartition, Errors>> results = results(answer);
            for (PendingMarker marker : markers) {
                Errors error = results.getOrDefault(marker.transaction().producerId(), Map.of()).get(marker.partition());
                // A partition missing from the answer is a broken answer: try it again.
                sender.onResult(marker, error == null ? Errors.UNKNOWN_SERVER_ERROR : error);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                log.info("WriteTxnMarkers to broker {} failed ({}); {} marker(s) will be retried", brokerId, e.toString(), markers.size());
            }
            disconnect();
            markers.forEach(marker -> sender.onResult(marker, Errors.NETWORK_EXCEPTION));
        }
    }

    private BrokerConnection connect(BrokerEndpoint endpoint) throws IOException {
        if (connection != null && endpoint.equals(connectedTo)) {
            return connection;
        }
        disconnect();
        connection = BrokerConnection.open(endpoint.host(), endpoint.port(), clientId, CONNECT_TIMEOUT_MS, ANSWER_TIMEOUT_MS);
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

    /** One WriteTxnMarkers entry per transaction, its partitions grouped by topic. */
    static WriteTxnMarkersRequestData request(List<PendingMarker> markers) {
        Map<TxnMarkers, Map<String, List<Integer>>> byTransaction = new LinkedHashMap<>();
        for (PendingMarker marker : markers) {
            byTransaction.computeIfAbsent(marker.transaction(), txn -> new LinkedHashMap<>())
                    .computeIfAbsent(marker.partition().topic(), topic -> new ArrayList<>()).add(marker.partition().partition());
        }
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData();
        byTransaction.forEach((txn, topics) -> {
            WritableTxnMarker entry = new WritableTxnMarker().setProducerId(txn.producerId()).setProducerEpoch(txn.producerEpoch())
                    .setTransactionResult(txn.commit()).setCoordinatorEpoch(txn.coordinatorEpoch())
                    .setTransactionVersion((byte) txn.clientVersion().featureLevel());
            topics.forEach((topic, partitions) -> entry.topics().add(new WritableTxnMarkerTopic().setName(topic).setPartitionIndexes(partitions)));
            request.markers().add(entry);
        });
        return request;
    }

    private static Map<Long, Map<TopicPartition, Errors>> results(WriteTxnMarkersResponseData answer) {
        Map<Long, Map<TopicPartition, Errors>> results = new HashMap<>();
        answer.markers().forEach(marker -> marker.topics().forEach(topic -> topic.partitions().forEach(partition ->
                results.computeIfAbsent(marker.producerId(), id -> new HashMap<>())
                        .put(new TopicPartition(topic.name(), partition.partitionIndex()), Errors.forCode(partition.errorCode())))));
        return results;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
