package io.runnel.broker.handler.txn;

import io.runnel.broker.group.OffsetsTopic;
import io.runnel.broker.handler.ClusterView;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.coordinator.runtime.CoordinatorKeys;
import io.runnel.protocol.KafkaRequest;
import io.runnel.transaction.TransactionVersion;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * AddOffsetsToTxn: the group's {@code __consumer_offsets} partition joins the transaction, as Kafka
 * does, so the offsets the producer commits (TxnOffsetCommit, piece 10) get its markers.
 */
public final class AddOffsetsToTxnHandler implements ApiHandler {

    private final TransactionCoordinatorRuntime transactions;
    private final ClusterView cluster;
    private final int offsetsPartitions;

    /** @param offsetsPartitions {@code offsets.topic.num.partitions}, for a topic not created yet */
    public AddOffsetsToTxnHandler(TransactionCoordinatorRuntime transactions, ClusterView cluster, int offsetsPartitions) {
        this.transactions = transactions;
        this.cluster = cluster;
        this.offsetsPartitions = offsetsPartitions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AddOffsetsToTxnRequestData body = (AddOffsetsToTxnRequestData) request.body();
        int partitions = cluster.image().topic(OffsetsTopic.NAME).map(topic -> topic.partitionCount()).orElse(offsetsPartitions);
        TopicPartition offsets = new TopicPartition(OffsetsTopic.NAME, CoordinatorKeys.partitionFor(body.groupId(), partitions));
        return transactions.write((coordinator, now) -> coordinator.addPartitions(body.transactionalId(), body.producerId(), body.producerEpoch(),
                        List.of(offsets), TransactionVersion.TV_0, now))
                .thenApply(error -> new AddOffsetsToTxnResponseData().setErrorCode(TxnErrors.forVersion(error, request.apiVersion(), 2).code()));
    }
}
