package io.runnel.broker.handler.txn;

import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.protocol.KafkaRequest;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ListTransactions over the {@code __transaction_state} partitions this broker leads, filtered by
 * state, producer id, duration (v1) and id pattern (v2).
 */
public final class ListTransactionsHandler implements ApiHandler {

    private final TransactionCoordinatorRuntime transactions;

    public ListTransactionsHandler(TransactionCoordinatorRuntime transactions) {
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ListTransactionsRequestData body = (ListTransactionsRequestData) request.body();
        return transactions.read(coordinator -> coordinator.list(new HashSet<>(body.stateFilters()), new HashSet<>(body.producerIdFilters()),
                body.durationFilter(), body.transactionalIdPattern(), System.currentTimeMillis()));
    }
}
