package io.runnel.broker.handler.group;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListGroups: every group of either protocol, optionally filtered by state (v4+) and type (v5+); without
 * DESCRIBE on the cluster, only the groups the principal may DESCRIBE, as in Kafka.
 */
public final class ListGroupsHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;
    private final RequestAuthorizer authorizer;

    public ListGroupsHandler(GroupCoordinatorRuntime groups, RequestAuthorizer authorizer) {
        this.groups = groups;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ListGroupsRequestData body = (ListGroupsRequestData) request.body();
        boolean mayListAll = authorizer.authorizeCluster(request, AclOperation.DESCRIBE);
        return groups.<ApiMessage>call(coordinator -> {
            ListGroupsResponseData listed = coordinator.listGroups(body);
            if (!mayListAll) {
                listed.groups().removeIf(group -> !authorizer.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId()));
            }
            return listed;
        });
    }
}
