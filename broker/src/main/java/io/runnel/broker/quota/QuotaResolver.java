package io.runnel.broker.quota;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * Which quota applies to a (user, client-id) pair, and which clients share it, as Kafka's
 * DefaultQuotaCallback decides: the first entity set for the key in the order
 * <ol>
 *   <li>/config/users/&lt;user&gt;/clients/&lt;client-id&gt;</li>
 *   <li>/config/users/&lt;user&gt;/clients/&lt;default&gt;</li>
 *   <li>/config/users/&lt;user&gt;</li>
 *   <li>/config/users/&lt;default&gt;/clients/&lt;client-id&gt;</li>
 *   <li>/config/users/&lt;default&gt;/clients/&lt;default&gt;</li>
 *   <li>/config/users/&lt;default&gt;</li>
 *   <li>/config/clients/&lt;client-id&gt;</li>
 *   <li>/config/clients/&lt;default&gt;</li>
 * </ol>
 * picks the pair's tags (the user, the client id, or both; clients with the same tags share one rate),
 * and the tags then pick the limit, as Kafka's {@code quotaMetricTags} and {@code quotaLimit} do.
 * Stateless; runs once per client and quota change, never per request.
 */
public final class QuotaResolver {

    private QuotaResolver() {
    }

    /** The clients one rate is kept for: a user, a client id, or both ("" for the part that does not count). */
    public record QuotaTags(String user, String clientId) { }

    /** The tags of a pair and the limit they have, or null when no quota applies. */
    public record Resolution(QuotaTags tags, Double limit) { }

    /** What applies to {@code user} (the principal's name) connecting as {@code clientId}, for {@code key}. */
    public static Resolution resolve(Map<ClientQuotaEntity, Map<String, Double>> quotas, String key, String user, String clientId) {
        QuotaTags tags = tags(quotas, key, user, clientId);
        return new Resolution(tags, limit(quotas, key, tags));
    }

    private static QuotaTags tags(Map<ClientQuotaEntity, Map<String, Double>> quotas, String key, String user, String clientId) {
        if (pair(quotas, key, user, clientId) != null || pair(quotas, key, user, null) != null) {
            return new QuotaTags(user, clientId);
        }
        if (single(quotas, key, ClientQuotaEntity.USER, user) != null) {
            return new QuotaTags(user, "");
        }
        if (pair(quotas, key, null, clientId) != null || pair(quotas, key, null, null) != null) {
            return new QuotaTags(user, clientId);
        }
        if (single(quotas, key, ClientQuotaEntity.USER, null) != null) {
            return new QuotaTags(user, "");
        }
        return new QuotaTags("", clientId);
    }

    private static Double limit(Map<ClientQuotaEntity, Map<String, Double>> quotas, String key, QuotaTags tags) {
        String user = tags.user();
        String clientId = tags.clientId();
        if (!user.isEmpty() && !clientId.isEmpty()) {
            return first(pair(quotas, key, user, clientId), pair(quotas, key, user, null), pair(quotas, key, null, clientId), pair(quotas, key, null, null));
        }
        if (!user.isEmpty()) {
            return first(single(quotas, key, ClientQuotaEntity.USER, user), single(quotas, key, ClientQuotaEntity.USER, null));
        }
        if (!clientId.isEmpty()) {
            return first(single(quotas, key, ClientQuotaEntity.CLIENT_ID, clientId), single(quotas, key, ClientQuotaEntity.CLIENT_ID, null));
        }
        return null;
    }

    private static Double first(Double... candidates) {
        for (Double candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    /** The key's value for the user and client-id entity (null names: the defaults), or null. */
    private static Double pair(Map<ClientQuotaEntity, Map<String, Double>> quotas, String key, String user, String clientId) {
        Map<String, String> entries = new HashMap<>(4);
        entries.put(ClientQuotaEntity.USER, user);
        entries.put(ClientQuotaEntity.CLIENT_ID, clientId);
        return valueOf(quotas, key, entries);
    }

    /** The key's value for an entity of one type (a null name: the default), or null. */
    private static Double single(Map<ClientQuotaEntity, Map<String, Double>> quotas, String key, String type, String name) {
        Map<String, String> entries = new HashMap<>(2);
        entries.put(type, name);
        return valueOf(quotas, key, entries);
    }

    private static Double valueOf(Map<ClientQuotaEntity, Map<String, Double>> quotas, String key, Map<String, String> entries) {
        Map<String, Double> values = quotas.get(new ClientQuotaEntity(entries));
        return values == null ? null : values.get(key);
    }
}
