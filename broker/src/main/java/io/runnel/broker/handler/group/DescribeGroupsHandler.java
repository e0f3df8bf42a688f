package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/** DescribeGroups: state, protocol and members of classic groups. */
public final class DescribeGroupsHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public DescribeGroupsHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeGroupsRequestData body = (DescribeGroupsRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> new DescribeGroupsResponseData()
                .setGroups(coordinator.describeGroups(body.groups(), request.apiVersion())));
    }
}
