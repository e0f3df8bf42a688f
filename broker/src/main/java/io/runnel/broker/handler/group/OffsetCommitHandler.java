package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/** OffsetCommit, answered by the group coordinator. */
public final class OffsetCommitHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public OffsetCommitHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        OffsetCommitRequestData body = (OffsetCommitRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> coordinator.offsetCommit(GroupRequests.context(request), body));
    }
}
