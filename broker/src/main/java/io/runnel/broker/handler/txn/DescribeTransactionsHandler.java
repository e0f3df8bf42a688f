package io.runnel.broker.handler.txn;

import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/** DescribeTransactions: the state of each id this broker coordinates (NOT_COORDINATOR for the others). */
public final class DescribeTransactionsHandler implements ApiHandler {

    private final TransactionCoordinatorRuntime transactions;

    public DescribeTransactionsHandler(TransactionCoordinatorRuntime transactions) {
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeTransactionsRequestData body = (DescribeTransactionsRequestData) request.body();
        return transactions.read(coordinator -> {
            DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
            body.transactionalIds().forEach(id -> response.transactionStates().add(coordinator.describe(id)));
            return response;
        });
    }
}
