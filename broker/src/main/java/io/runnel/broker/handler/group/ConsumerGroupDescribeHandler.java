package io.runnel.broker.handler.group;

import io.runnel.broker.acl.AuthorizedOperations;
import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ConsumerGroupDescribe: epochs, members and assignments of consumer (KIP-848) groups; a group the
 * principal may not DESCRIBE answers GROUP_AUTHORIZATION_FAILED.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;
    private final RequestAuthorizer authorizer;

    public ConsumerGroupDescribeHandler(GroupCoordinatorRuntime groups, RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ConsumerGroupDescribeRequestData body = (ConsumerGroupDescribeRequestData) request.body();
        return groups.<ApiMessage>call(coordinator -> {
            Map<Boolean, List<String>> byAuthorization = body.groupIds().stream()
                    .collect(Collectors.partitioningBy(group -> authorizer.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, group)));
            List<ConsumerGroupDescribeResponseData.DescribedGroup> described = new ArrayList<>(coordinator.consumerGroupDescribe(byAuthorization.get(true)));
            byAuthorization.get(false).forEach(group -> described.add(new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(group)
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            if (body.includeAuthorizedOperations()) {
                described.stream().filter(group -> group.errorCode() == Errors.NONE.code())
                        .forEach(group -> group.setAuthorizedOperations(AuthorizedOperations.of(authorizer, request, ResourceType.GROUP, group.groupId())));
            }
            return new ConsumerGroupDescribeResponseData().setGroups(described);
        });
    }
}
