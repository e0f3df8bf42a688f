package io.runnel.broker.handler;

import io.runnel.broker.acl.RequestAuthorizer;
import org.apache.kafka.common.acl.AclOperation;
import io.runnel.protocol.KafkaRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterConfigs (the legacy, non-incremental form KafkaJS and librdkafka send): the configs given
 * replace every override of the topic, or every dynamic config of the broker entity.
 */
public final class AlterConfigsHandler implements ApiHandler {

    private final RequestAuthorizer authorizer;
    private final ConfigAlterer alterer;

    /** A handler changing configs through {@code alterer}. */
    /** A handler altering through {@code alterer}; each resource needs ALTER_CONFIGS (see {@link RequestAuthorizer#requireConfigAccess}). */
    public AlterConfigsHandler(ConfigAlterer alterer, RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
        this.alterer = alterer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AlterConfigsRequestData data = (AlterConfigsRequestData) request.body();
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        ConfigAlterer.alterEach(data.resources(), resource -> resource.resourceType() + "/" + resource.resourceName(),
                resource -> {
                    authorizer.requireConfigAccess(request, AclOperation.ALTER_CONFIGS, ConfigResources.type(resource.resourceType()),
                            resource.resourceName());
                    Map<String, String> configs = configs(resource);
                    alterer.alter(ConfigResources.type(resource.resourceType()), resource.resourceName(), current -> configs, data.validateOnly());
                },
                (resource, error) -> response.responses().add(new AlterConfigsResourceResponse()
                        .setResourceType(resource.resourceType())
                        .setResourceName(resource.resourceName())
                        .setErrorCode(error == null ? Errors.NONE.code() : Errors.forException(error).code())
                        .setErrorMessage(error == null ? null : error.getMessage())));
        return CompletableFuture.completedFuture(response);
    }

    private static Map<String, String> configs(AlterConfigsResource resource) {
        Map<String, String> configs = new HashMap<>();
        for (AlterableConfig config : resource.configs()) {
            if (config.value() == null) {
                throw new InvalidRequestException("Null value not supported for : " + config.name());
            }
            if (configs.put(config.name(), config.value()) != null) {
                throw new InvalidRequestException("Error due to duplicate config keys");
            }
        }
        return configs;
    }
}
