package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.LeaveGroupResponse;

/** LeaveGroup: v3+ answers per member; v0–2 (one member) get a single top-level error, shaped by Kafka's response class. */
public final class LeaveGroupHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public LeaveGroupHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        LeaveGroupRequestData body = (LeaveGroupRequestData) request.body();
        return groups.<ApiMessage>call(coordinator ->
                new LeaveGroupResponse(coordinator.leaveGroup(GroupRequests.context(request), body), request.apiVersion()).data());
    }
}
