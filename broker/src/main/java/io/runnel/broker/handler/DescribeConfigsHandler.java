package io.runnel.broker.handler;

import io.runnel.broker.acl.RequestAuthorizer;
import org.apache.kafka.common.acl.AclOperation;
import io.runnel.broker.config.DynamicBrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeConfigs: the configs of topics and of this broker (or the cluster-wide default entity),
 * each resource answered on its own, with synonyms (v1+) and documentation (v3+) when asked.
 */
public final class DescribeConfigsHandler implements ApiHandler {

    private final RequestAuthorizer authorizer;
    private final ConfigResources resources;
    private final ConfigDescriber describer;

    /** A handler describing the configs of the topics in {@code controller}'s image and of this broker. */
    /** A handler describing from {@code controller}'s image; each resource needs DESCRIBE_CONFIGS (see {@link RequestAuthorizer#requireConfigAccess}). */
    public DescribeConfigsHandler(ClusterMetadata controller, TopicConfigs topicConfigs, DynamicBrokerConfig brokerConfig, RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
        this.resources = new ConfigResources(controller, brokerConfig);
        this.describer = new ConfigDescriber(topicConfigs, brokerConfig);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeConfigsRequestData data = (DescribeConfigsRequestData) request.body();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsResource resource : data.resources()) {
            response.results().add(describe(request, resource, data.includeSynonyms(), data.includeDocumentation()));
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeConfigsResult describe(KafkaRequest request, DescribeConfigsResource resource, boolean synonyms, boolean documentation) {
        DescribeConfigsResult result = new DescribeConfigsResult()
                .setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName());
        try {
            authorizer.requireConfigAccess(request, AclOperation.DESCRIBE_CONFIGS, ConfigResources.type(resource.resourceType()), resource.resourceName());
            if (ConfigResources.type(resource.resourceType()) == ConfigResource.Type.TOPIC) {
                result.setConfigs(describer.topic(resources.topic(resource.resourceName()), resource.configurationKeys(), documentation));
            } else {
                String entity = resources.brokerEntity(resource.resourceName());
                result.setConfigs(describer.broker(MetadataImage.DEFAULT_BROKER.equals(entity), resource.configurationKeys(), documentation));
            }
            if (!synonyms) {
                result.configs().forEach(config -> config.synonyms().clear());
            }
            return result.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
        } catch (ApiException e) {
            return result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
        }
    }
}
