package io.runnel.broker.handler.quota;

import io.runnel.broker.handler.ApiHandler;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataRecord;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.ApiError;

/**
 * AlterClientQuotas as Kafka's controller answers it: one result per entity, each entity checked on its
 * own ({@link EntityQuotaChange}); an entity named twice, or with a key named twice, is ignored with
 * INVALID_REQUEST (a twice-named entity's first changes are written all the same, as in Kafka). The accepted entities' changes go to the metadata log in one batch, unless
 * {@code validate_only}. Runs on the controller-bound pool (it waits for the controller). Stateless.
 */
public final class AlterClientQuotasHandler implements ApiHandler {

    private final ClusterMetadata controller;

    /** A handler writing quota changes through {@code controller}. */
    public AlterClientQuotasHandler(ClusterMetadata controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AlterClientQuotasRequestData data = (AlterClientQuotasRequestData) request.body();
        Map<ClientQuotaEntity, Map<String, Double>> quotas = controller.image().clientQuotas();
        Map<ClientQuotaEntity, ApiError> results = new LinkedHashMap<>();
        Map<ClientQuotaEntity, List<MetadataRecord.ClientQuotaRecord>> changes = new LinkedHashMap<>();
        for (AlterClientQuotasRequestData.EntryData entry : data.entries()) {
            ClientQuotaEntity entity = entity(entry);
            Map<String, Double> ops = ops(entry);
            if (results.containsKey(entity) || ops == null) {
                // as Kafka: a repeated key is reported as a repeated entity, and a repeated entity's first changes are still written
                results.put(entity, new ApiError(Errors.INVALID_REQUEST, "Ignoring duplicate entity " + entity));
                continue;
            }
            try {
                changes.put(entity, EntityQuotaChange.records(entity, quotas.getOrDefault(entity, Map.of()), ops));
                results.put(entity, ApiError.NONE);
            } catch (EntityQuotaChange.QuotaRefused refused) {
                results.put(entity, refused.error());
            }
        }
        if (!data.validateOnly()) {
            write(changes, results);
        }
        return CompletableFuture.completedFuture(response(results));
    }

    private void write(Map<ClientQuotaEntity, List<MetadataRecord.ClientQuotaRecord>> changes, Map<ClientQuotaEntity, ApiError> results) {
        List<MetadataRecord.ClientQuotaRecord> records = new ArrayList<>();
        changes.values().forEach(records::addAll);
        if (records.isEmpty()) {
            return;
        }
        try {
            controller.alterClientQuotas(records);
        } catch (ApiException e) {
            changes.keySet().forEach(entity -> results.put(entity, ApiError.fromThrowable(e)));
        }
    }

    /** The entity as Kafka's AlterClientQuotasRequest reads it: type to name, a repeated type's last name kept. */
    private static ClientQuotaEntity entity(AlterClientQuotasRequestData.EntryData entry) {
        Map<String, String> entries = new HashMap<>();
        entry.entity().forEach(component -> entries.put(component.entityType(), component.entityName()));
        return new ClientQuotaEntity(entries);
    }

    /** Key to new value (null: remove), or null when a key is named twice. */
    private static Map<String, Double> ops(AlterClientQuotasRequestData.EntryData entry) {
        Map<String, Double> ops = new HashMap<>();
        for (AlterClientQuotasRequestData.OpData op : entry.ops()) {
            if (ops.containsKey(op.key())) {
                return null;
            }
            ops.put(op.key(), op.remove() ? null : op.value());
        }
        return ops;
    }

    private static AlterClientQuotasResponseData response(Map<ClientQuotaEntity, ApiError> results) {
        AlterClientQuotasResponseData response = new AlterClientQuotasResponseData();
        results.forEach((entity, error) -> {
            AlterClientQuotasResponseData.EntryData entry = new AlterClientQuotasResponseData.EntryData()
                    .setErrorCode(error.error().code()).setErrorMessage(error.message());
            entity.entries().forEach((type, name) -> entry.entity().add(new AlterClientQuotasResponseData.EntityData()
                    .setEntityType(type).setEntityName(name)));
            response.entries().add(entry);
        });
        return response;
    }
}
