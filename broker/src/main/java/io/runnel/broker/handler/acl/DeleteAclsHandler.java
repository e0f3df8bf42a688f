package io.runnel.broker.handler.acl;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsResponse;

/**
 * DeleteAcls: needs CLUSTER ALTER; removes, through the active controller, every ACL of this broker's
 * image that a filter matches, and answers per filter the ACLs it matched.
 */
public final class DeleteAclsHandler implements ApiHandler {

    private final ClusterMetadata controller;
    private final RequestAuthorizer authorizer;

    public DeleteAclsHandler(ClusterMetadata controller, RequestAuthorizer authorizer) {
        this.controller = controller;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AclChecks.requireCluster(authorizer, request, AclOperation.ALTER);
        Map<Uuid, AclBinding> acls = controller.image().acls();
        List<List<AclBinding>> matchedPerFilter = new ArrayList<>();
        Set<Uuid> ids = new LinkedHashSet<>();
        for (DeleteAclsRequestData.DeleteAclsFilter requested : ((DeleteAclsRequestData) request.body()).filters()) {
            AclBindingFilter filter = AclChecks.filter(requested.resourceTypeFilter(), requested.resourceNameFilter(), requested.patternTypeFilter(),
                    requested.principalFilter(), requested.hostFilter(), requested.operation(), requested.permissionType());
            List<AclBinding> matched = new ArrayList<>();
            acls.forEach((id, acl) -> {
                if (filter.matches(acl)) {
                    matched.add(acl);
                    ids.add(id);
                }
            });
            matchedPerFilter.add(matched);
        }
        ApiError outcome = delete(ids);
        List<DeleteAclsFilterResult> results = new ArrayList<>();
        for (List<AclBinding> matched : matchedPerFilter) {
            results.add(outcome.isFailure() ? new DeleteAclsFilterResult().setErrorCode(outcome.error().code()).setErrorMessage(outcome.message())
                    : new DeleteAclsFilterResult().setMatchingAcls(matched.stream().map(acl -> DeleteAclsResponse.matchingAcl(acl, ApiError.NONE)).toList()));
        }
        return CompletableFuture.completedFuture(new DeleteAclsResponseData().setFilterResults(results));
    }

    private ApiError delete(Set<Uuid> ids) {
        if (ids.isEmpty()) {
            return ApiError.NONE;
        }
        try {
            controller.deleteAcls(List.copyOf(ids));
            return ApiError.NONE;
        } catch (ApiException e) {
            return new ApiError(Errors.forException(e), e.getMessage());
        }
    }
}
