package io.runnel.broker.handler.acl;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;

/**
 * CreateAcls: needs CLUSTER ALTER; each valid ACL is added through the active controller (one command
 * for the request), each invalid one answered with INVALID_REQUEST, in request order.
 */
public final class CreateAclsHandler implements ApiHandler {

    private final ClusterMetadata controller;
    private final RequestAuthorizer authorizer;

    public CreateAclsHandler(ClusterMetadata controller, RequestAuthorizer authorizer) {
        this.controller = controller;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AclChecks.requireCluster(authorizer, request, org.apache.kafka.common.acl.AclOperation.ALTER);
        CreateAclsRequestData data = (CreateAclsRequestData) request.body();
        List<AclCreationResult> results = new ArrayList<>();
        List<AclBinding> valid = new ArrayList<>();
        for (CreateAclsRequestData.AclCreation creation : data.creations()) {
            AclBinding acl = CreateAclsRequest.aclBinding(creation);
            ApiException invalid = AclChecks.invalid(acl);
            results.add(invalid == null ? new AclCreationResult() : error(invalid));
            if (invalid == null) {
                valid.add(acl);
            }
        }
        if (!valid.isEmpty()) {
            try {
                controller.createAcls(valid);
            } catch (ApiException e) {
                results.replaceAll(result -> result.errorCode() == Errors.NONE.code() ? error(e) : result);
            }
        }
        return CompletableFuture.completedFuture(new CreateAclsResponseData().setResults(results));
    }

    private static AclCreationResult error(ApiException e) {
        return new AclCreationResult().setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
    }
}
