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
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/** DescribeGroups: state, protocol and members of classic groups; a group the principal may not DESCRIBE answers GROUP_AUTHORIZATION_FAILED. */
public final class DescribeGroupsHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;
    private final RequestAuthorizer authorizer;

    public DescribeGroupsHandler(GroupCoordinatorRuntime groups, RequestAuthorizer authorizer) {
        this.groups = groups;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeGroupsRequestData body = (DescribeGroupsRequestData) request.body();
        Map<Boolean, List<String>> byAuthorization = body.groups().stream()
                .collect(Collectors.partitioningBy(group -> authorizer.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, group)));
        return groups.<ApiMessage>call(coordinator -> {
            List<DescribeGroupsResponseData.DescribedGroup> described = new ArrayList<>(coordinator.describeGroups(byAuthorization.get(true),
                    request.apiVersion()));
            byAuthorization.get(false).forEach(group -> described.add(new DescribeGroupsResponseData.DescribedGroup().setGroupId(group)
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            if (body.includeAuthorizedOperations()) {
                described.stream().filter(group -> group.errorCode() == Errors.NONE.code())
                        .forEach(group -> group.setAuthorizedOperations(AuthorizedOperations.of(authorizer, request, ResourceType.GROUP, group.groupId())));
            }
            return new DescribeGroupsResponseData().setGroups(described);
        });
    }
}
