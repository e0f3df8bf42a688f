package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit (v0–4): a transactional producer's consumed offsets, written by the group
 * coordinator in the producer's transaction and pending until its marker. Served with the other
 * transaction APIs only ({@code runnel.transactions.preview.enable}).
 *
 * <p>v5 is not served: a client sends it only under transaction version 2, where TxnOffsetCommit
 * also adds the group's {@code __consumer_offsets} partition to the transaction, which needs the
 * partition verification with the transaction coordinator (piece 9). Until then no verification is
 * done (Kafka's {@code transaction.partition.verification.enable} off) and the write carries no guard.
 */
public final class TxnOffsetCommitHandler implements ApiHandler {

    /** The first version whose clients (2.3 on, KAFKA-7296) retry COORDINATOR_LOAD_IN_PROGRESS. */
    private static final short FIRST_VERSION_WITH_LOAD_IN_PROGRESS = 2;

    private final GroupCoordinatorRuntime groups;

    public TxnOffsetCommitHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        TxnOffsetCommitRequestData body = (TxnOffsetCommitRequestData) request.body();
        TransactionalWrite write = TransactionalWrite.unverified(body.producerId(), body.producerEpoch());
        return groups.call(coordinator -> coordinator.txnOffsetCommit(GroupRequests.context(request), body, write))
                .thenApply(response -> forVersion(response, request.apiVersion()));
    }

    /**
     * As Kafka's {@code KafkaApis}: clients of v0 and v1 (0.11 to 2.0) could crash on
     * COORDINATOR_LOAD_IN_PROGRESS, so they get COORDINATOR_NOT_AVAILABLE instead.
     */
    static ApiMessage forVersion(TxnOffsetCommitResponseData response, short version) {
        if (version < FIRST_VERSION_WITH_LOAD_IN_PROGRESS) {
            response.topics().forEach(topic -> topic.partitions().forEach(partition -> {
                if (partition.errorCode() == Errors.COORDINATOR_LOAD_IN_PROGRESS.code()) {
                    partition.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                }
            }));
        }
        return response;
    }
}
