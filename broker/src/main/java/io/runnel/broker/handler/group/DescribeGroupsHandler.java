package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** DescribeGroups: state, protocol and members of classic groups. */
public final class DescribeGroupsHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public DescribeGroupsHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeGroupsRequestData body = (DescribeGroupsRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> {
            List<DescribeGroupsResponseData.DescribedGroup> described = coordinator.describeGroups(body.groups(), request.apiVersion());
            if (body.includeAuthorizedOperations()) {
                described.stream().filter(group -> group.errorCode() == Errors.NONE.code())
                        .forEach(group -> group.setAuthorizedOperations(GroupRequests.ALL_GROUP_OPERATIONS));
            }
            return new DescribeGroupsResponseData().setGroups(described);
        });
    }
}
