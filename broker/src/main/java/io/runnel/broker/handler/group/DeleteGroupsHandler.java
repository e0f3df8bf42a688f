package io.runnel.broker.handler.group;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/** DeleteGroups: deletes empty groups with their offsets; a group the principal may not DELETE answers GROUP_AUTHORIZATION_FAILED. */
public final class DeleteGroupsHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;
    private final RequestAuthorizer authorizer;

    public DeleteGroupsHandler(GroupCoordinatorRuntime groups, RequestAuthorizer authorizer) {
        this.groups = groups;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DeleteGroupsRequestData body = (DeleteGroupsRequestData) request.body();
        Map<Boolean, List<String>> byAuthorization = body.groupsNames().stream()
                .collect(Collectors.partitioningBy(group -> authorizer.authorize(request, AclOperation.DELETE, ResourceType.GROUP, group)));
        return groups.<ApiMessage>call(coordinator -> {
            DeleteGroupsResponseData.DeletableGroupResultCollection results = coordinator.deleteGroups(byAuthorization.get(true));
            byAuthorization.get(false).forEach(group -> results.add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(group)
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            return new DeleteGroupsResponseData().setResults(results);
        });
    }
}
