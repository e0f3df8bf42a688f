package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/** OffsetDelete: removes a group's offsets of topics it is not subscribed to. */
public final class OffsetDeleteHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public OffsetDeleteHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        OffsetDeleteRequestData body = (OffsetDeleteRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> coordinator.offsetDelete(body));
    }
}
