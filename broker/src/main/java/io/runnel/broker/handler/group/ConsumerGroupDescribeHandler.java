package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** ConsumerGroupDescribe: epochs, members and assignments of consumer (KIP-848) groups. */
public final class ConsumerGroupDescribeHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;

    public ConsumerGroupDescribeHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ConsumerGroupDescribeRequestData body = (ConsumerGroupDescribeRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> {
            List<ConsumerGroupDescribeResponseData.DescribedGroup> described = coordinator.consumerGroupDescribe(body.groupIds());
            if (body.includeAuthorizedOperations()) {
                described.stream().filter(group -> group.errorCode() == Errors.NONE.code())
                        .forEach(group -> group.setAuthorizedOperations(GroupRequests.ALL_GROUP_OPERATIONS));
            }
            return new ConsumerGroupDescribeResponseData().setGroups(described);
        });
    }
}
