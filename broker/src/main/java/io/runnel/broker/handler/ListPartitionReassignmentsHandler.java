package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ListPartitionReassignments on one node: no reassignment is ever in progress (a move to this node
 * completes at once), so the list is empty, for named partitions too, as Kafka answers for
 * partitions that are not moving.
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler {

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponseData().setErrorMessage(null));
    }
}
