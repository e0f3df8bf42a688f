package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/** DeleteGroups: deletes empty groups with their offsets. */
public final class DeleteGroupsHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public DeleteGroupsHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DeleteGroupsRequestData body = (DeleteGroupsRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> new DeleteGroupsResponseData().setResults(coordinator.deleteGroups(body.groupsNames())));
    }
}
