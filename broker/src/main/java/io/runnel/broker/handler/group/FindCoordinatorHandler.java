package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.group.OffsetsTopic;
import io.runnel.broker.handler.ClusterView;
import io.runnel.coordinator.runtime.CoordinatorKeys;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicMetadata;
import java.util.Optional;
import io.runnel.protocol.KafkaRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * FindCoordinator: a group's coordinator is the leader of its {@code __consumer_offsets} partition
 * (which the first group lookup creates, as in Kafka), at its endpoint on the client's listener;
 * COORDINATOR_NOT_AVAILABLE while that partition has no leader. Transactions have no coordinator yet.
 * v0–3 ask for one key, v4+ for a batch.
 */
public final class FindCoordinatorHandler implements ApiHandler {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final GroupCoordinatorRuntime groups;
    private final ClusterView cluster;

    public FindCoordinatorHandler(GroupCoordinatorRuntime groups, ClusterView cluster) {
        this.groups = groups;
        this.cluster = cluster;
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
                response.coordinators().add(find(key, body.keyType(), cluster.listener(request)));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private FindCoordinatorResponseData.Coordinator find(String key, byte keyType, String listener) {
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
        MetadataImage image = cluster.image();
        Optional<TopicMetadata> topic = image.topic(OffsetsTopic.NAME);
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

    private static FindCoordinatorResponseData.Coordinator notFound(FindCoordinatorResponseData.Coordinator coordinator, Errors error,
                                                                   String message) {
        return coordinator.setNodeId(-1).setHost("").setPort(-1).setErrorCode(error.code()).setErrorMessage(message);
    }
}
