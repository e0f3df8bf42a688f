package io.runnel.broker.txn;

import io.runnel.broker.interbroker.BrokerChannel;
import io.runnel.broker.interbroker.BrokerConnection;
import io.runnel.transaction.TxnMarkers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Markers bound for another broker as one WriteTxnMarkers request; each marker's answer goes back to
 * the {@link TxnMarkerSender}. A lost connection answers NETWORK_EXCEPTION, so every marker in the
 * request is tried again.
 */
final class MarkerExchange implements BrokerChannel.Exchange<PendingMarker> {

    private static final Logger log = LoggerFactory.getLogger(MarkerExchange.class);

    /** The highest WriteTxnMarkers version this broker sends (v2 carries each marker's transaction version). */
    private static final short HIGHEST_VERSION = 2;
    /** Longer than the leader's wait for its marker to replicate ({@code request.timeout.ms}, 30 s). */
    static final int ANSWER_TIMEOUT_MS = 40_000;

    private final int brokerId;
    private final TxnMarkerSender sender;

    MarkerExchange(int brokerId, TxnMarkerSender sender) {
        this.brokerId = brokerId;
        this.sender = sender;
    }

    @Override
    public void exchange(BrokerConnection connection, List<PendingMarker> markers) throws IOException {
        short version = connection.version(ApiKeys.WRITE_TXN_MARKERS, HIGHEST_VERSION);
        if (version < 0) {
            log.error("Broker {} does not serve WriteTxnMarkers; {} marker(s) wait for it", brokerId, markers.size());
            markers.forEach(marker -> sender.onResult(marker, Errors.NETWORK_EXCEPTION));
            return;
        }
        WriteTxnMarkersResponseData answer = (WriteTxnMarkersResponseData) connection.send(ApiKeys.WRITE_TXN_MARKERS, version, request(markers));
        Map<Long, Map<TopicPartition, Errors>> results = results(answer);
        for (PendingMarker marker : markers) {
            Errors error = results.getOrDefault(marker.transaction().producerId(), Map.of()).get(marker.partition());
            // A partition missing from the answer is a broken answer: try it again.
            sender.onResult(marker, error == null ? Errors.UNKNOWN_SERVER_ERROR : error);
        }
    }

    @Override
    public void failed(List<PendingMarker> markers, IOException cause) {
        markers.forEach(marker -> sender.onResult(marker, Errors.NETWORK_EXCEPTION));
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
}
