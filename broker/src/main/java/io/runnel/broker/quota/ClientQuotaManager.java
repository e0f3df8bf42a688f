package io.runnel.broker.quota;

import io.runnel.broker.config.QuotaWindow;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * One kind of client quota on this broker (produce bytes, fetch bytes, or request time), as Kafka's
 * ClientQuotaManager keeps it: a rate per set of tags ({@link QuotaResolver}), each checked against the
 * limit the metadata image gives it. A request costs a volatile read and two hash lookups without
 * allocation; a client is resolved once, again only after the quotas change (the image's quota map is
 * replaced, never changed, so identity tells). With no quota of this kind set, nothing is recorded.
 * Thread-safe.
 */
public final class ClientQuotaManager {

    /** As Kafka drops a quota sensor: the rate of clients idle this long is forgotten (they start afresh). */
    static final long IDLE_EXPIRY_MS = 3_600_000L;
    /** How often a resolution looks for idle rates (only resolutions do: the hot path never does). */
    private static final long EXPIRY_CHECK_MS = 60_000L;

    /** Marks a client no quota of this kind applies to. */
    private static final ClientRate UNLIMITED = new ClientRate(QuotaWindow.DEFAULT, Double.MAX_VALUE);

    private final QuotaKey key;
    private final QuotaWindow window;
    private final Supplier<Map<ClientQuotaEntity, Map<String, Double>>> quotas;
    private final IntConsumer throttled;
    /** By tags; kept across quota changes, so a changed limit applies to the history measured so far. */
    private final Map<QuotaResolver.QuotaTags, ClientRate> rates = new ConcurrentHashMap<>();
    private volatile Resolutions resolutions = new Resolutions(null, false);
    private volatile long lastExpiryCheckMs;

    /**
     * @param key    the quota key this manager enforces
     * @param quotas the current quotas (the metadata image's, replaced whole when they change)
     */
    public ClientQuotaManager(QuotaKey key, QuotaWindow window, Supplier<Map<ClientQuotaEntity, Map<String, Double>>> quotas) {
        this(key, window, quotas, throttleMs -> { });
    }

    /** As above, telling {@code throttled} each throttle time handed out (Kafka's throttle-time sensor; must be cheap). */
    public ClientQuotaManager(QuotaKey key, QuotaWindow window, Supplier<Map<ClientQuotaEntity, Map<String, Double>>> quotas, IntConsumer throttled) {
        this.throttled = throttled;
        this.key = key;
        this.window = window;
        this.quotas = quotas;
    }

    /** The clients resolved against one version of the quotas: by user, then client id. */
    private record Resolutions(Map<ClientQuotaEntity, Map<String, Double>> source, boolean any,
                               ConcurrentHashMap<String, ConcurrentHashMap<String, ClientRate>> byUser) {
        Resolutions(Map<ClientQuotaEntity, Map<String, Double>> source, boolean any) {
            this(source, any, new ConcurrentHashMap<>());
        }
    }

    /**
     * Records {@code value} for the client at {@code nowMs}; returns Kafka's throttle time in ms, 0 when
     * the client is within its quota or has none.
     */
    public int recordAndGetThrottleTimeMs(KafkaPrincipal principal, String clientId, double value, long nowMs) {
        ClientRate rate = rateOf(principal, clientId, nowMs);
        if (rate == UNLIMITED) {
            return 0;
        }
        int throttleMs = rate.record(value, nowMs);
        if (throttleMs > 0) {
            throttled.accept(throttleMs);
        }
        return throttleMs;
    }

    /** Takes back what {@link #recordAndGetThrottleTimeMs} recorded (a throttled fetch sends no records). */
    public void unrecord(KafkaPrincipal principal, String clientId, double value, long nowMs) {
        ClientRate rate = rateOf(principal, clientId);
        if (rate != UNLIMITED) {
            rate.unrecord(value, nowMs);
        }
    }

    /** The most the client may take at once without being throttled for sure: Kafka's cap on a consumer's fetch. */
    public int maxValueInQuotaWindow(KafkaPrincipal principal, String clientId) {
        ClientRate rate = rateOf(principal, clientId);
        return rate == UNLIMITED ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, rate.maxValueInWindow());
    }

    /** Whether a quota of this kind applies to the client. */
    public boolean limits(KafkaPrincipal principal, String clientId) {
        return rateOf(principal, clientId) != UNLIMITED;
    }

    /** How many rates are kept (tests). */
    int trackedRates() {
        return rates.size();
    }

    /** The limit that applies to the client, or null when none does (for tests and tools). */
    public Double limit(KafkaPrincipal principal, String clientId) {
        ClientRate rate = rateOf(principal, clientId);
        return rate == UNLIMITED ? null : rate.limit();
    }

    private ClientRate rateOf(KafkaPrincipal principal, String clientId) {
        return rateOf(principal, clientId, System.currentTimeMillis());
    }

    private ClientRate rateOf(KafkaPrincipal principal, String clientId, long nowMs) {
        Resolutions current = current();
        if (!current.any()) {
            return UNLIMITED;
        }
        String client = clientId == null ? "" : clientId;
        ConcurrentHashMap<String, ClientRate> byClient = current.byUser().computeIfAbsent(principal.getName(), user -> new ConcurrentHashMap<>());
        ClientRate rate = byClient.get(client);
        if (rate == null) {
            expireIdle(current, nowMs);
            rate = resolve(current.source(), principal.getName(), client);
            byClient.put(client, rate);
        }
        return rate;
    }

    /**
     * Forgets the rates of clients idle for {@link #IDLE_EXPIRY_MS}, and every client's resolution with them (those
     * still active resolve again once), so client ids that come and go do not fill the broker's memory.
     */
    private void expireIdle(Resolutions current, long nowMs) {
        if (nowMs - lastExpiryCheckMs < EXPIRY_CHECK_MS) {
            return;
        }
        lastExpiryCheckMs = nowMs;
        if (rates.values().removeIf(rate -> rate.idleSince(nowMs - IDLE_EXPIRY_MS))) {
            current.byUser().clear();
        }
    }

    private Resolutions current() {
        Resolutions current = resolutions;
        Map<ClientQuotaEntity, Map<String, Double>> latest = quotas.get();
        if (current.source() != latest) {
            current = new Resolutions(latest, latest.values().stream().anyMatch(values -> values.containsKey(key.key())));
            resolutions = current;
        }
        return current;
    }

    private ClientRate resolve(Map<ClientQuotaEntity, Map<String, Double>> source, String user, String clientId) {
        QuotaResolver.Resolution resolution = QuotaResolver.resolve(source, key.key(), user, clientId);
        if (resolution.limit() == null) {
            return UNLIMITED;
        }
        double limit = resolution.limit();
        ClientRate rate = rates.computeIfAbsent(resolution.tags(), tags -> new ClientRate(window, limit));
        rate.limit(limit);
        return rate;
    }
}
