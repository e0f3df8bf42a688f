package io.runnel.broker.handler;

import io.runnel.broker.acl.RequestAuthorizer;
import org.apache.kafka.common.acl.AclOperation;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT (the last two on list configs) on the
 * configs of topics and brokers, each resource changed (or, with validateOnly, checked) on its own.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler {

    private final RequestAuthorizer authorizer;
    private final ConfigAlterer alterer;

    /** A handler changing configs through {@code alterer}. */
    /** A handler altering through {@code alterer}; each resource needs ALTER_CONFIGS (see {@link RequestAuthorizer#requireConfigAccess}). */
    public IncrementalAlterConfigsHandler(ConfigAlterer alterer, RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
        this.alterer = alterer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        IncrementalAlterConfigsRequestData data = (IncrementalAlterConfigsRequestData) request.body();
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        ConfigAlterer.alterEach(data.resources(), resource -> resource.resourceType() + "/" + resource.resourceName(),
                resource -> {
                    authorizer.requireConfigAccess(request, AclOperation.ALTER_CONFIGS, ConfigResources.type(resource.resourceType()),
                            resource.resourceName());
                    alter(resource, data.validateOnly());
                },
                (resource, error) -> response.responses().add(new AlterConfigsResourceResponse()
                        .setResourceType(resource.resourceType())
                        .setResourceName(resource.resourceName())
                        .setErrorCode(error == null ? Errors.NONE.code() : Errors.forException(error).code())
                        .setErrorMessage(error == null ? null : error.getMessage())));
        return CompletableFuture.completedFuture(response);
    }

    private void alter(AlterConfigsResource resource, boolean validateOnly) {
        ConfigResource.Type type = ConfigResources.type(resource.resourceType());
        Set<String> names = new HashSet<>();
        for (AlterableConfig config : resource.configs()) {
            if (!names.add(config.name())) {
                throw new InvalidRequestException("Error due to duplicate config keys");
            }
            AlterConfigOp.OpType op = opType(config.configOperation());
            if (config.value() == null && op != AlterConfigOp.OpType.DELETE) {
                throw new InvalidRequestException("Null value not supported for : " + config.name());
            }
            if ((op == AlterConfigOp.OpType.APPEND || op == AlterConfigOp.OpType.SUBTRACT) && !isList(type, config.name())) {
                throw new InvalidConfigurationException("Can't " + op + " to key " + config.name() + " because its type is not LIST.");
            }
        }
        alterer.alter(type, resource.resourceName(), current -> apply(type, current, resource.configs()), validateOnly);
    }

    private static Map<String, String> apply(ConfigResource.Type type, Map<String, String> current, Collection<AlterableConfig> configs) {
        Map<String, String> result = new HashMap<>(current);
        for (AlterableConfig config : configs) {
            String name = config.name();
            switch (opType(config.configOperation())) {
                case SET -> result.put(name, config.value());
                case DELETE -> result.remove(name);
                case APPEND -> {
                    List<String> values = currentList(type, name, result);
                    split(config.value()).stream().filter(v -> !values.contains(v)).forEach(values::add);
                    result.put(name, String.join(",", values));
                }
                case SUBTRACT -> {
                    List<String> values = currentList(type, name, result);
                    values.removeAll(split(config.value()));
                    result.put(name, String.join(",", values));
                }
                default -> throw new IllegalStateException("checked before");
            }
        }
        return result;
    }

    /** The list an APPEND or SUBTRACT starts from: the resource's own value, else the config's default. */
    private static List<String> currentList(ConfigResource.Type type, String name, Map<String, String> configs) {
        String value = configs.containsKey(name) ? configs.get(name) : ConfigValues.format(ConfigAlterer.key(type, name).defaultValue);
        return new ArrayList<>(split(value));
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static boolean isList(ConfigResource.Type type, String name) {
        ConfigDef.ConfigKey key = ConfigAlterer.key(type, name);
        return key != null && key.type == ConfigDef.Type.LIST;
    }

    private static AlterConfigOp.OpType opType(byte id) {
        AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(id);
        if (op == null) {
            throw new InvalidRequestException("Unknown config operation " + id);
        }
        return op;
    }
}
