package io.runnel.broker.handler.txn;

import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.txn.TxnMarkerWriter;
import io.runnel.protocol.KafkaRequest;
import io.runnel.storage.producer.TxnMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * WriteTxnMarkers (v1–2), sent by transaction coordinators and by {@code kafka-transactions.sh abort}:
 * each marker is written to each of its partitions through {@link TxnMarkerWriter}, and the request is
 * answered, per marker and partition, once every write has settled. v2 carries the transaction version
 * the marker's epoch is checked at; v1 does not (checked as an unknown version, epoch at least the
 * producer's). No ACLs yet (Kafka asks for CLUSTER_ACTION).
 */
public final class WriteTxnMarkersHandler implements ApiHandler {

    private final TxnMarkerWriter markers;

    public WriteTxnMarkersHandler(TxnMarkerWriter markers) {
        this.markers = markers;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        WriteTxnMarkersRequestData body = (WriteTxnMarkersRequestData) request.body();
        boolean carriesVersion = request.apiVersion() >= 2;
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (WritableTxnMarker marker : body.markers()) {
            short transactionVersion = carriesVersion ? marker.transactionVersion() : TxnMarker.UNKNOWN_TRANSACTION_VERSION;
            WritableTxnMarkerResult result = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            for (WritableTxnMarkerTopic topic : marker.topics()) {
                WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(topic.name());
                for (int index : topic.partitionIndexes()) {
                    WritableTxnMarkerPartitionResult partitionResult = new WritableTxnMarkerPartitionResult().setPartitionIndex(index);
                    topicResult.partitions().add(partitionResult);
                    writes.add(markers.write(new TopicPartition(topic.name(), index), marker.producerId(), marker.producerEpoch(),
                                    marker.coordinatorEpoch(), marker.transactionResult(), transactionVersion)
                            .thenAccept(error -> partitionResult.setErrorCode(error.code())));
                }
                result.topics().add(topicResult);
            }
            response.markers().add(result);
        }
        // Each write sets its own partition's result; the response is read only after all have.
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }
}
