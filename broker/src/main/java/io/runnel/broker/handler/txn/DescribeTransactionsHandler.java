package io.runnel.broker.handler.txn;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeTransactions: the state of each id this broker coordinates (NOT_COORDINATOR for the others);
 * an id the principal may not DESCRIBE answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 */
public final class DescribeTransactionsHandler implements ApiHandler {

    private final TransactionCoordinatorRuntime transactions;
    private final RequestAuthorizer authorizer;

    public DescribeTransactionsHandler(TransactionCoordinatorRuntime transactions, RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeTransactionsRequestData body = (DescribeTransactionsRequestData) request.body();
        return transactions.read(coordinator -> {
            DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
            body.transactionalIds().forEach(id -> response.transactionStates().add(
                    authorizer.authorize(request, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id) ? coordinator.describe(id)
                            : new DescribeTransactionsResponseData.TransactionState().setTransactionalId(id)
                                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())));
            return response;
        });
    }
}
