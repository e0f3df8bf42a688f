package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/** Heartbeat, answered by the group coordinator. */
public final class HeartbeatHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public HeartbeatHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        HeartbeatRequestData body = (HeartbeatRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> coordinator.heartbeat(GroupRequests.context(request), body));
    }
}
