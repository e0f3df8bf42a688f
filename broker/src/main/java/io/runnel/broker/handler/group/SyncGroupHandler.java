package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/** SyncGroup: answered when the group's rebalance reaches the point this member waits for. */
public final class SyncGroupHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public SyncGroupHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        SyncGroupRequestData body = (SyncGroupRequestData) request.body();
        return groups.<SyncGroupResponseData>callAsync((coordinator, response) -> coordinator.syncGroup(GroupRequests.context(request), body, response))
                .thenApply(response -> response);
    }
}
