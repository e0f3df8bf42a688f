package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.handler.ClusterIdentity;
import io.runnel.protocol.KafkaRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * FindCoordinator: this broker coordinates every group (it leads every partition of
 * {@code __consumer_offsets}, which the first group lookup creates, as in Kafka). Transactions have
 * no coordinator yet. v0–3 ask for one key, v4+ for a batch.
 */
public final class FindCoordinatorHandler implements ApiHandler {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final GroupCoordinatorRuntime groups;
    private final Supplier<ClusterIdentity> identity;

    public FindCoordinatorHandler(GroupCoordinatorRuntime groups, Supplier<ClusterIdentity> identity) {
        this.groups = groups;
        this.identity = identity;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        FindCoordinatorRequestData body = (FindCoordinatorRequestData) request.body();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.apiVersion() < 4) {
            FindCoordinatorResponseData.Coordinator answer = find(body.key(), body.keyType());
            response.setErrorCode(answer.errorCode()).setErrorMessage(answer.errorMessage())
                    .setNodeId(answer.nodeId()).setHost(answer.host()).setPort(answer.port());
        } else {
            List<String> keys = body.coordinatorKeys();
            for (String key : keys) {
                response.coordinators().add(find(key, body.keyType()));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private FindCoordinatorResponseData.Coordinator find(String key, byte keyType) {
        FindCoordinatorResponseData.Coordinator coordinator = new FindCoordinatorResponseData.Coordinator().setKey(key);
        if (keyType == TRANSACTION) {
            return notFound(coordinator, Errors.COORDINATOR_NOT_AVAILABLE, "Transactions are not supported by this broker.");
        }
        if (keyType != GROUP) {
            return notFound(coordinator, Errors.INVALID_REQUEST, "Unsupported coordinator key type " + keyType + ".");
        }
        try {
            groups.ensureOffsetsTopic();
        } catch (RuntimeException e) {
            return notFound(coordinator, Errors.COORDINATOR_NOT_AVAILABLE, e.getMessage());
        }
        ClusterIdentity self = identity.get();
        return coordinator.setNodeId(self.nodeId()).setHost(self.host()).setPort(self.port()).setErrorCode(Errors.NONE.code());
    }

    private static FindCoordinatorResponseData.Coordinator notFound(FindCoordinatorResponseData.Coordinator coordinator, Errors error,
                                                                   String message) {
        return coordinator.setNodeId(-1).setHost("").setPort(-1).setErrorCode(error.code()).setErrorMessage(message);
    }
}
