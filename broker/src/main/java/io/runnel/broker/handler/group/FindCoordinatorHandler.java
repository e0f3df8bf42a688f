package io.runnel.broker.handler.group;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.group.OffsetsTopic;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.handler.ClusterView;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.coordinator.runtime.CoordinatorKeys;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicMetadata;
import java.util.Optional;
import io.runnel.protocol.KafkaRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * FindCoordinator: a group's coordinator is the leader of its {@code __consumer_offsets} partition
 * (which the first group lookup creates, as in Kafka), at its endpoint on the client's listener;
 * COORDINATOR_NOT_AVAILABLE while that partition has no leader. A transactional id's coordinator is
 * found the same way on {@code __transaction_state}, when the transaction coordinator runs (the
 * internal switch {@code runnel.transactions.enable}); otherwise COORDINATOR_NOT_AVAILABLE.
 * v0–3 ask for one key, v4+ for a batch; in a batch, a key the principal may not DESCRIBE is answered
 * GROUP_AUTHORIZATION_FAILED or TRANSACTIONAL_ID_AUTHORIZATION_FAILED in its own entry and the others
 * are served, as in Kafka (v0–3 are refused whole by {@link io.runnel.broker.handler.acl.RequestChecks}).
 */
public final class FindCoordinatorHandler implements ApiHandler {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final GroupCoordinatorRuntime groups;
    private final TransactionCoordinatorRuntime transactions;
    private final ClusterView cluster;
    private final RequestAuthorizer authorizer;

    /**
     * @param transactions the transaction coordinator, or null if transactions are not served
     * @param authorizer   who may DESCRIBE which group or transactional id of a batch
     */
    public FindCoordinatorHandler(GroupCoordinatorRuntime groups, TransactionCoordinatorRuntime transactions, ClusterView cluster,
                                  RequestAuthorizer authorizer) {
        this.groups = groups;
        this.transactions = transactions;
        this.cluster = cluster;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        FindCoordinatorRequestData body = (FindCoordinatorRequestData) request.body();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.apiVersion() < 4) {
            FindCoordinatorResponseData.Coordinator answer = find(body.key(), body.keyType(), cluster.listener(request));
            response.setErrorCode(answer.errorCode()).setErrorMessage(answer.errorMessage())
                    .setNodeId(answer.nodeId()).setHost(answer.host()).setPort(answer.port());
        } else {
            List<String> keys = body.coordinatorKeys();
            for (String key : keys) {
                response.coordinators().add(mayDescribe(request, key, body.keyType()) ? find(key, body.keyType(), cluster.listener(request))
                        : refused(key, body.keyType()));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private FindCoordinatorResponseData.Coordinator find(String key, byte keyType, String listener) {
        FindCoordinatorResponseData.Coordinator coordinator = new FindCoordinatorResponseData.Coordinator().setKey(key);
        if (keyType == TRANSACTION && transactions == null) {
            return notFound(coordinator, Errors.COORDINATOR_NOT_AVAILABLE, "Transactions are not supported by this broker.");
        }
        if (keyType != GROUP && keyType != TRANSACTION) {
            return notFound(coordinator, Errors.INVALID_REQUEST, "Unsupported coordinator key type " + keyType + ".");
        }
        if (keyType == TRANSACTION && (key == null || key.isEmpty())) {
            return notFound(coordinator, Errors.INVALID_REQUEST, "A transactional id must not be empty.");
        }
        try {
            if (keyType == GROUP) {
                groups.ensureOffsetsTopic();
            } else {
                transactions.ensureTopic();
            }
        } catch (RuntimeException e) {
            return notFound(coordinator, Errors.COORDINATOR_NOT_AVAILABLE, e.getMessage());
        }
        MetadataImage image = cluster.image();
        Optional<TopicMetadata> topic = image.topic(keyType == GROUP ? OffsetsTopic.NAME : transactions.topicName());
        if (topic.isEmpty()) {
            return notFound(coordinator, Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator is not available.");
        }
        int leader = topic.get().partition(CoordinatorKeys.partitionFor(key, topic.get().partitionCount())).leader();
        Optional<BrokerEndpoint> endpoint = cluster.endpoint(image, leader, listener);
        if (endpoint.isEmpty()) {
            return notFound(coordinator, Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator is not available.");
        }
        return coordinator.setNodeId(leader).setHost(endpoint.get().host()).setPort(endpoint.get().port()).setErrorCode(Errors.NONE.code());
    }

    /** Whether the principal may DESCRIBE the key's group or transactional id (other key types are not authorized here, as in Kafka). */
    private boolean mayDescribe(KafkaRequest request, String key, byte keyType) {
        return switch (keyType) {
            case GROUP -> authorizer.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, key);
            case TRANSACTION -> authorizer.authorize(request, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key);
            default -> true;
        };
    }

    /** A key of a batch the principal may not DESCRIBE: no node, Kafka's error, no message. */
    private static FindCoordinatorResponseData.Coordinator refused(String key, byte keyType) {
        Errors error = keyType == GROUP ? Errors.GROUP_AUTHORIZATION_FAILED : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        return new FindCoordinatorResponseData.Coordinator().setKey(key).setNodeId(-1).setHost("").setPort(-1).setErrorCode(error.code());
    }

    private static FindCoordinatorResponseData.Coordinator notFound(FindCoordinatorResponseData.Coordinator coordinator, Errors error,
                                                                   String message) {
        return coordinator.setNodeId(-1).setHost("").setPort(-1).setErrorCode(error.code()).setErrorMessage(message);
    }
}
