package io.runnel.broker.handler.acl;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.DescribeAclsResponse;

/** DescribeAcls: needs CLUSTER DESCRIBE; answers the ACLs of this broker's image that match the filter, grouped by resource. */
public final class DescribeAclsHandler implements ApiHandler {

    private final ClusterMetadata metadata;
    private final RequestAuthorizer authorizer;

    public DescribeAclsHandler(ClusterMetadata metadata, RequestAuthorizer authorizer) {
        this.metadata = metadata;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AclChecks.requireCluster(authorizer, request, AclOperation.DESCRIBE);
        DescribeAclsRequestData data = (DescribeAclsRequestData) request.body();
        AclBindingFilter filter = AclChecks.filter(data.resourceTypeFilter(), data.resourceNameFilter(), data.patternTypeFilter(),
                data.principalFilter(), data.hostFilter(), data.operation(), data.permissionType());
        return CompletableFuture.completedFuture(new DescribeAclsResponseData()
                .setResources(DescribeAclsResponse.aclsResources(metadata.image().acls().values().stream().filter(filter::matches).toList())));
    }
}
