package io.runnel.broker.network;

import io.runnel.broker.config.QuotaWindow;
import io.runnel.broker.quota.ClientRate;
import io.runnel.broker.quota.QuotaKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection_creation_rate client quotas of {@code ip} entities, as Kafka's ConnectionQuotas enforces
 * them: an address with a quota of its own, or else under the default ip entity's, has its new connections
 * counted in a rate (Kafka's quota window); a connection that takes the rate over the quota is not counted
 * and is refused, held open for the time that brings the rate back (at most one window) and then closed, so
 * the client does not come straight back. Addresses without a quota cost a map lookup.
 *
 * <p>Not thread-safe: {@link ConnectionQuotas} calls it under its lock.
 */
final class IpConnectionRates {

    private static final Logger log = LoggerFactory.getLogger(IpConnectionRates.class);
    /** Kafka's value of "no quota" (QuotaConfig.IP_CONNECTION_RATE_DEFAULT). */
    private static final int UNLIMITED = Integer.MAX_VALUE;
    /** As Kafka's ip sensors expire: the rate of an address idle this long is forgotten. */
    private static final long IDLE_EXPIRY_MS = 3_600_000L;
    private static final long EXPIRY_CHECK_MS = 60_000L;

    private final QuotaWindow window;
    private Map<ClientQuotaEntity, Map<String, Double>> source = Map.of();
    private Map<InetAddress, Integer> byAddress = Map.of();
    private int byDefault = UNLIMITED;
    private final Map<InetAddress, ClientRate> rates = new HashMap<>();
    private long lastExpiryCheckMs;

    IpConnectionRates(QuotaWindow window) {
        this.window = window;
    }

    /** Takes the ip quotas among {@code quotas} (the metadata image's; an unchanged map is skipped by identity). */
    void update(Map<ClientQuotaEntity, Map<String, Double>> quotas) {
        if (quotas == source) {
            return;
        }
        source = quotas;
        Map<InetAddress, Integer> addresses = new HashMap<>();
        int fallback = UNLIMITED;
        for (Map.Entry<ClientQuotaEntity, Map<String, Double>> quota : quotas.entrySet()) {
            Map<String, String> entity = quota.getKey().entries();
            Double rate = quota.getValue().get(QuotaKey.CONNECTION_CREATION_RATE.key());
            if (rate == null || entity.size() != 1 || !entity.containsKey(ClientQuotaEntity.IP)) {
                continue;
            }
            String ip = entity.get(ClientQuotaEntity.IP);
            if (ip == null) {
                fallback = rate.intValue();
            } else {
                putAddress(addresses, ip, rate.intValue());
            }
        }
        byAddress = addresses;
        byDefault = fallback;
        rates.entrySet().removeIf(entry -> limitOf(entry.getKey()) == UNLIMITED);
        rates.forEach((address, rate) -> rate.limit(limitOf(address)));
    }

    private static void putAddress(Map<InetAddress, Integer> addresses, String ip, int rate) {
        try {
            // AlterClientQuotas takes only IP literals for ip entities: no name is looked up here.
            addresses.put(InetAddress.getByName(ip), rate);
        } catch (UnknownHostException e) {
            log.warn("Ignoring the connection_creation_rate quota of ip {}: not an address", ip);
        }
    }

    private int limitOf(InetAddress address) {
        return byAddress.getOrDefault(address, byDefault);
    }

    /**
     * Counts a new connection from {@code address} at {@code nowMs}.
     *
     * @return 0 when it is within the address's quota (or there is none); else how long to hold it before
     *     closing it, in ms, and it was not counted
     */
    long record(InetAddress address, long nowMs) {
        int limit = limitOf(address);
        if (limit == UNLIMITED) {
            return 0;
        }
        expireIdle(nowMs);
        ClientRate rate = rates.computeIfAbsent(address, ignored -> new ClientRate(window, limit));
        long throttleMs = rate.record(1, nowMs);
        if (throttleMs == 0) {
            return 0;
        }
        rate.unrecord(1, nowMs);
        return Math.min(throttleMs, window.sampleSeconds() * 1000L);
    }

    private void expireIdle(long nowMs) {
        if (nowMs - lastExpiryCheckMs < EXPIRY_CHECK_MS) {
            return;
        }
        lastExpiryCheckMs = nowMs;
        rates.values().removeIf(rate -> rate.idleSince(nowMs - IDLE_EXPIRY_MS));
    }
}
