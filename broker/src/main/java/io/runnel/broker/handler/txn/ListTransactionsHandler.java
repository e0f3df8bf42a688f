package io.runnel.broker.handler.txn;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.protocol.KafkaRequest;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListTransactions over the {@code __transaction_state} partitions this broker leads, filtered by
 * state, producer id, duration (v1) and id pattern (v2); only the ids the principal may DESCRIBE, as in Kafka.
 */
public final class ListTransactionsHandler implements ApiHandler {

    private final TransactionCoordinatorRuntime transactions;
    private final RequestAuthorizer authorizer;

    public ListTransactionsHandler(TransactionCoordinatorRuntime transactions, RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ListTransactionsRequestData body = (ListTransactionsRequestData) request.body();
        return transactions.read(coordinator -> {
            ListTransactionsResponseData listed = coordinator.list(new HashSet<>(body.stateFilters()), new HashSet<>(body.producerIdFilters()),
                    body.durationFilter(), body.transactionalIdPattern(), System.currentTimeMillis());
            listed.transactionStates().removeIf(state ->
                    !authorizer.authorize(request, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, state.transactionalId()));
            return listed;
        });
    }
}
