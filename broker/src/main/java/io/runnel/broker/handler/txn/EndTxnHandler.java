package io.runnel.broker.handler.txn;

import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.protocol.KafkaRequest;
import io.runnel.transaction.TransactionVersion;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * EndTxn: the transaction moves to PrepareCommit or PrepareAbort once that record is replicated.
 * Writing the markers and completing the transaction come with piece 8. v5 is the TV2 protocol and
 * carries the producer id and epoch of the next transaction.
 */
public final class EndTxnHandler implements ApiHandler {

    private final TransactionCoordinatorRuntime transactions;

    public EndTxnHandler(TransactionCoordinatorRuntime transactions) {
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        EndTxnRequestData body = (EndTxnRequestData) request.body();
        short version = request.apiVersion();
        TransactionVersion protocol = version >= 5 ? TransactionVersion.TV_2 : TransactionVersion.TV_0;
        return transactions.write((coordinator, now) -> coordinator.endTxn(body.transactionalId(), body.producerId(), body.producerEpoch(),
                        body.committed(), protocol, now))
                .thenApply(answer -> new EndTxnResponseData()
                        .setErrorCode(TxnErrors.forVersion(answer.error(), version, 2).code())
                        .setProducerId(answer.producerId())
                        .setProducerEpoch(answer.producerEpoch()));
    }
}
