package io.runnel.broker.handler;

import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * InitProducerId for idempotent (non-transactional) producers: a fresh producer id at epoch 0, or,
 * when a producer that already has one asks again (KIP-360, after a sequence error), the same id with
 * the next epoch, which resets its sequences. Transactions are not served yet: a transactional id is
 * refused with NOT_COORDINATOR, since no broker is the transaction coordinator.
 */
public final class InitProducerIdHandler implements ApiHandler {

    private final ProducerIdManager producerIds;

    /** A handler taking ids from {@code producerIds}. */
    public InitProducerIdHandler(ProducerIdManager producerIds) {
        this.producerIds = producerIds;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        InitProducerIdRequestData data = (InitProducerIdRequestData) request.body();
        InitProducerIdResponseData response = new InitProducerIdResponseData();
        if (data.transactionalId() != null) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.NOT_COORDINATOR.code()));
        }
        if (data.producerId() >= 0 && data.producerEpoch() >= 0 && data.producerEpoch() < Short.MAX_VALUE - 1) {
            response.setProducerId(data.producerId()).setProducerEpoch((short) (data.producerEpoch() + 1));
        } else {
            response.setProducerId(producerIds.nextProducerId()).setProducerEpoch((short) 0);
        }
        return CompletableFuture.completedFuture(response);
    }
}
