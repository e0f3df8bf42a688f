package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/** ConsumerGroupHeartbeat, answered by the group coordinator. */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public ConsumerGroupHeartbeatHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ConsumerGroupHeartbeatRequestData body = (ConsumerGroupHeartbeatRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> coordinator.consumerGroupHeartbeat(GroupRequests.context(request), body));
    }
}
