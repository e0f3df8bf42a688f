package io.runnel.broker.handler.quota;

import io.runnel.broker.quota.QuotaKey;
import io.runnel.metadata.MetadataRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.ApiError;

/**
 * The records that alter one entity's quotas, checked as Kafka's ClientQuotaControlManager checks them,
 * with its messages: known entity types, no empty names, ip entities alone, known keys with a value
 * greater than 0 (whole numbers for the byte and connection rates); a removal (a null value) writes a
 * record only for a key that is set, and a value equal to the current one writes none. Stateless.
 */
final class EntityQuotaChange {

    private EntityQuotaChange() {
    }

    /**
     * The records of altering {@code entity}'s quotas from {@code current} by {@code changes} (key to new
     * value, null to remove), or a refusal.
     */
    static List<MetadataRecord.ClientQuotaRecord> records(ClientQuotaEntity entity, Map<String, Double> current, Map<String, Double> changes)
            throws QuotaRefused {
        checkEntity(entity);
        boolean ip = entity.entries().containsKey(ClientQuotaEntity.IP);
        List<MetadataRecord.ClientQuotaRecord> records = new ArrayList<>(changes.size());
        for (Map.Entry<String, Double> change : changes.entrySet()) {
            String key = change.getKey();
            Double value = change.getValue();
            if (value == null) {
                if (current.containsKey(key)) {
                    records.add(new MetadataRecord.ClientQuotaRecord(entity, key, 0, true));
                }
            } else {
                checkValue(ip, key, value);
                if (!Objects.equals(current.get(key), value)) {
                    records.add(new MetadataRecord.ClientQuotaRecord(entity, key, value, false));
                }
            }
        }
        return records;
    }

    private static void checkEntity(ClientQuotaEntity entity) throws QuotaRefused {
        Map<String, String> entries = entity.entries();
        if (entries.isEmpty()) {
            throw new QuotaRefused("Invalid empty client quota entity");
        }
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String type = entry.getKey();
            if (!type.equals(ClientQuotaEntity.USER) && !type.equals(ClientQuotaEntity.CLIENT_ID) && !type.equals(ClientQuotaEntity.IP)) {
                throw new QuotaRefused("Unhandled client quota entity type: " + type);
            }
            if (entry.getValue() != null && entry.getValue().isEmpty()) {
                throw new QuotaRefused("Empty " + type + " not supported");
            }
        }
        if (entries.containsKey(ClientQuotaEntity.IP)) {
            if (entries.size() > 1) {
                // Kafka's message, its missing space included
                throw new QuotaRefused("Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId");
            }
            if (!resolvable(entries.get(ClientQuotaEntity.IP))) {
                throw new QuotaRefused(entries.get(ClientQuotaEntity.IP) + " is not a valid IP or resolvable host.");
            }
        }
    }

    private static boolean resolvable(String ip) {
        if (ip == null) {
            return true;
        }
        try {
            InetAddress.getByName(ip);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void checkValue(boolean ip, String key, double value) throws QuotaRefused {
        QuotaKey known = QuotaKey.named(key);
        if (known == null || known.forIp() != ip) {
            throw new QuotaRefused("Invalid configuration key " + key);
        }
        if (value <= 0.0) {
            throw new QuotaRefused("Quota " + key + " must be greater than 0");
        }
        if (known.type() == ConfigDef.Type.DOUBLE) {
            return;
        }
        if (known.type() == ConfigDef.Type.INT && value > Integer.MAX_VALUE) {
            throw new QuotaRefused("Proposed value for " + key + " is too large for an INT.");
        }
        if (known.type() == ConfigDef.Type.LONG && value > Long.MAX_VALUE) {
            throw new QuotaRefused("Proposed value for " + key + " is too large for a LONG.");
        }
        if (Math.abs(value % 1.0) > 1e-6) {
            throw new QuotaRefused(key + " cannot be a fractional value.");
        }
    }

    /** An alteration refused with INVALID_REQUEST and Kafka's message. */
    static final class QuotaRefused extends Exception {
        private static final long serialVersionUID = 1L;

        QuotaRefused(String message) {
            super(message, null, false, false);
        }

        ApiError error() {
            return new ApiError(Errors.INVALID_REQUEST, getMessage());
        }
    }
}
