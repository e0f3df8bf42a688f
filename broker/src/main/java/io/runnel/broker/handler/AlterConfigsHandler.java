package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
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

    private final ConfigAlterer alterer;

    /** A handler changing configs through {@code alterer}. */
    public AlterConfigsHandler(ConfigAlterer alterer) {
        this.alterer = alterer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AlterConfigsRequestData data = (AlterConfigsRequestData) request.body();
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        Set<String> duplicated = duplicatedResources(data.resources().stream().map(r -> r.resourceType() + "/" + r.resourceName()).toList());
        for (AlterConfigsResource resource : data.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            try {
                if (duplicated.contains(resource.resourceType() + "/" + resource.resourceName())) {
                    throw new InvalidRequestException("Error due to duplicate resources");
                }
                Map<String, String> configs = configs(resource);
                alterer.alter(ConfigResources.type(resource.resourceType()), resource.resourceName(), current -> configs, data.validateOnly());
                result.setErrorMessage(null);
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
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

    /** The keys that occur more than once: Kafka refuses every resource named twice in one request. */
    static Set<String> duplicatedResources(List<String> keys) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        keys.forEach(key -> {
            if (!seen.add(key)) {
                duplicated.add(key);
            }
        });
        return duplicated;
    }
}
