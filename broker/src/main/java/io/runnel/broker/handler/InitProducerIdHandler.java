package io.runnel.broker.handler;

import io.runnel.broker.handler.txn.TxnErrors;
import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * InitProducerId for idempotent (non-transactional) producers: always a fresh producer id at epoch 0,
 * whatever id the request names, as Kafka does. Bumping a client-named id instead would let a client
 * claim an id not yet handed out, and two producers would then share it. A transactional id goes to
 * the transaction coordinator when it runs ({@code runnel.transactions.enable}); otherwise it
 * is refused with NOT_COORDINATOR, since no broker is its coordinator.
 */
public final class InitProducerIdHandler implements ApiHandler {

    private final ProducerIdManager producerIds;
    private final TransactionCoordinatorRuntime transactions;

    /** A handler taking ids from {@code producerIds}; transactional ids are refused. */
    public InitProducerIdHandler(ProducerIdManager producerIds) {
        this(producerIds, null);
    }

    /** @param transactions the transaction coordinator, or null if transactions are not served */
    public InitProducerIdHandler(ProducerIdManager producerIds, TransactionCoordinatorRuntime transactions) {
        this.producerIds = producerIds;
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        InitProducerIdRequestData data = (InitProducerIdRequestData) request.body();
        if (data.transactionalId() != null && transactions != null) {
            short version = request.apiVersion();
            return transactions.write((coordinator, now) -> coordinator.initProducerId(data.transactionalId(), data.transactionTimeoutMs(),
                            data.producerId(), data.producerEpoch(), now))
                    .thenApply(answer -> new InitProducerIdResponseData()
                            .setErrorCode(TxnErrors.forVersion(answer.error(), version, 4).code())
                            .setProducerId(answer.producerId())
                            .setProducerEpoch(answer.producerEpoch()));
        }
        if (data.transactionalId() != null) {
            return failed(data.transactionalId().isEmpty() ? Errors.INVALID_REQUEST : Errors.NOT_COORDINATOR);
        }
        if (data.producerId() >= 0 && data.producerEpoch() < 0) {
            return failed(Errors.INVALID_REQUEST);
        }
        return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                .setProducerId(producerIds.nextProducerId())
                .setProducerEpoch((short) 0));
    }

    private static CompletableFuture<ApiMessage> failed(Errors error) {
        return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                .setErrorCode(error.code())
                .setProducerId(-1L)
                .setProducerEpoch((short) -1));
    }
}
