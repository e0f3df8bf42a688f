package io.runnel.broker.handler.quota;

import io.runnel.metadata.ClusterMetadata;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;

/**
 * DescribeClientQuotas as Kafka's ClientQuotasImage answers it: the entities matching every filter
 * component (EXACT a name, DEFAULT the default entity, SPECIFIED any entity of that type), and, when
 * {@code strict}, having no other entity type. A bad filter is refused with Kafka's error and message,
 * thrown so the answer carries it at the top level. Stateless.
 */
public final class DescribeClientQuotasHandler implements ApiHandler {

    private final ClusterMetadata controller;

    /** A handler describing the quotas of {@code controller}'s image. */
    public DescribeClientQuotasHandler(ClusterMetadata controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeClientQuotasRequestData data = (DescribeClientQuotasRequestData) request.body();
        Map<String, String> exact = new HashMap<>();
        Set<String> specified = new HashSet<>();
        data.components().forEach(component -> readComponent(component, exact, specified));
        boolean ip = exact.containsKey(ClientQuotaEntity.IP) || specified.contains(ClientQuotaEntity.IP);
        if (ip && exact.size() + specified.size() > 1) {
            throw new InvalidRequestException("Invalid entity filter component combination. IP filter component should not be used with "
                    + "user or clientId filter component.");
        }
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData();
        controller.image().clientQuotas().forEach((entity, quotas) -> {
            if (matches(entity, exact, specified, data.strict())) {
                response.entries().add(entry(entity, quotas));
            }
        });
        return CompletableFuture.completedFuture(response);
    }

    private static void readComponent(DescribeClientQuotasRequestData.ComponentData component, Map<String, String> exact, Set<String> specified) {
        String type = component.entityType();
        if (type.isEmpty()) {
            throw new InvalidRequestException("Invalid empty entity type.");
        }
        if (exact.containsKey(type) || specified.contains(type)) {
            throw new InvalidRequestException("Entity type " + type + " cannot appear more than once in the filter.");
        }
        if (!type.equals(ClientQuotaEntity.IP) && !type.equals(ClientQuotaEntity.USER) && !type.equals(ClientQuotaEntity.CLIENT_ID)) {
            throw new UnsupportedVersionException("Unsupported entity type " + type);
        }
        switch (component.matchType()) {
            case DescribeClientQuotasRequest.MATCH_TYPE_EXACT -> {
                if (component.match() == null) {
                    throw new InvalidRequestException("Request specified MATCH_TYPE_EXACT, but set match string to null.");
                }
                exact.put(type, component.match());
            }
            case DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT -> {
                if (component.match() != null) {
                    throw new InvalidRequestException("Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
                }
                exact.put(type, null);
            }
            case DescribeClientQuotasRequest.MATCH_TYPE_SPECIFIED -> {
                if (component.match() != null) {
                    throw new InvalidRequestException("Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.");
                }
                specified.add(type);
            }
            default -> throw new InvalidRequestException("Unknown match type " + component.matchType());
        }
    }

    private static boolean matches(ClientQuotaEntity entity, Map<String, String> exact, Set<String> specified, boolean strict) {
        Map<String, String> entries = entity.entries();
        if (strict && entries.size() != exact.size() + specified.size()) {
            return false;
        }
        for (Map.Entry<String, String> wanted : exact.entrySet()) {
            if (!entries.containsKey(wanted.getKey()) || !Objects.equals(entries.get(wanted.getKey()), wanted.getValue())) {
                return false;
            }
        }
        return entries.keySet().containsAll(specified);
    }

    private static DescribeClientQuotasResponseData.EntryData entry(ClientQuotaEntity entity, Map<String, Double> quotas) {
        DescribeClientQuotasResponseData.EntryData entry = new DescribeClientQuotasResponseData.EntryData();
        entity.entries().forEach((type, name) -> entry.entity().add(new DescribeClientQuotasResponseData.EntityData()
                .setEntityType(type).setEntityName(name)));
        quotas.forEach((key, value) -> entry.values().add(new DescribeClientQuotasResponseData.ValueData().setKey(key).setValue(value)));
        return entry;
    }
}
