package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/** ListGroups: every group of either protocol, optionally filtered by state (v4+) and type (v5+). */
public final class ListGroupsHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public ListGroupsHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ListGroupsRequestData body = (ListGroupsRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> coordinator.listGroups(body));
    }
}
