package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.JoinGroupResponse;

/**
 * JoinGroup: answered when the group's rebalance reaches the point this member waits for. Kafka's
 * response class shapes the answer for old versions (no protocol name before v7).
 */
public final class JoinGroupHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public JoinGroupHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        JoinGroupRequestData body = (JoinGroupRequestData) request.body();
        return groups.<JoinGroupResponseData>callAsync((coordinator, response) -> coordinator.joinGroup(GroupRequests.context(request), body, response))
                .thenApply(response -> new JoinGroupResponse(response, request.apiVersion()).data());
    }
}
