package io.runnel.broker.network;

import io.runnel.broker.config.ConnectionLimits;
import io.runnel.broker.config.QuotaWindow;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Quota;
import org.apache.kafka.common.metrics.QuotaViolationException;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's open connections counted by listener and by client address, checked against
 * {@link ConnectionLimits} as Kafka's ConnectionQuotas checks them:
 * <ul>
 * <li>a listener takes a new connection only while it is under its {@code max.connections} and the broker
 * under the broker-wide one; the inter-broker listener (when there is another listener) is held only to its
 * own, so brokers can always reach each other;</li>
 * <li>new connections are delayed to keep the broker's and the listener's creation rate under
 * {@code max.connection.creation.rate}, measured as Kafka measures quotas (a rate over 11 one-second
 * windows, the delay that brings it back under the limit, at most one window);</li>
 * <li>a connection from an address over its {@code connection_creation_rate} client quota (an {@code ip}
 * entity's, or the default ip entity's: {@link IpConnectionRates}) is refused after a delay;</li>
 * <li>a connection from an address that already has its {@code max.connections.per.ip} (or override)
 * is refused.</li>
 * </ul>
 * Called once per connection accepted and closed, never per request. Thread-safe: counts change under
 * this object's lock (acceptors and network threads); the limits can be replaced at any time.
 */
public final class ConnectionQuotas {

    private static final Logger log = LoggerFactory.getLogger(ConnectionQuotas.class);
    /** Kafka's quota.window.num and quota.window.size.seconds defaults. */
    private static final int QUOTA_SAMPLES = 11;
    private static final long QUOTA_WINDOW_MS = 1000;

    private final String interBrokerListener;
    private final Metrics rates = new Metrics(Time.SYSTEM);
    private final Sensor brokerRate;
    private final Map<String, Sensor> listenerRates = new HashMap<>();
    private final Map<InetAddress, Integer> countsByAddress = new HashMap<>();
    private final Map<String, Integer> countsByListener = new HashMap<>();
    private final IpConnectionRates ipRates = new IpConnectionRates(new QuotaWindow(QUOTA_SAMPLES, (int) (QUOTA_WINDOW_MS / 1000)));
    private final List<Runnable> slotWatchers = new CopyOnWriteArrayList<>();
    private int total;
    private volatile ConnectionLimits limits;
    private volatile Map<InetAddress, Integer> perAddressOverrides;

    /**
     * Quotas for the listeners of {@code limits}.
     *
     * @param interBrokerListener the listener other brokers connect to, or null
     */
    public ConnectionQuotas(ConnectionLimits limits, String interBrokerListener) {
        this.interBrokerListener = interBrokerListener;
        this.brokerRate = rateSensor("broker", limits.maxConnectionCreationRate());
        for (String listener : limits.listeners().keySet()) {
            listenerRates.put(listener, rateSensor("listener-" + listener, limits.listener(listener).maxConnectionCreationRate()));
            countsByListener.put(listener, 0);
        }
        this.perAddressOverrides = resolve(limits.perIpOverrides());
        this.limits = limits;
    }

    private Sensor rateSensor(String name, int limit) {
        Sensor sensor = rates.sensor(name, quotaConfig(limit));
        sensor.add(rateName(name), new Rate());
        return sensor;
    }

    private void setLimit(Sensor sensor, int limit) {
        rates.metric(rateName(sensor.name())).config(quotaConfig(limit));
    }

    private MetricName rateName(String sensorName) {
        return rates.metricName("connection-creation-rate", sensorName);
    }

    private static MetricConfig quotaConfig(int limit) {
        return new MetricConfig().timeWindow(QUOTA_WINDOW_MS, TimeUnit.MILLISECONDS).samples(QUOTA_SAMPLES).quota(Quota.upperBound(limit));
    }

    /** The limits in force. */
    public ConnectionLimits limits() {
        return limits;
    }

    /** Takes new limits (a dynamic config change); connections waiting for a slot are looked at again. */
    public void reconfigure(ConnectionLimits newLimits) {
        Map<InetAddress, Integer> overrides = resolve(newLimits.perIpOverrides());
        synchronized (this) {
            setLimit(brokerRate, newLimits.maxConnectionCreationRate());
            listenerRates.forEach((listener, sensor) -> setLimit(sensor, newLimits.listener(listener).maxConnectionCreationRate()));
            perAddressOverrides = overrides;
            limits = newLimits;
        }
        slotWatchers.forEach(Runnable::run);
    }

    /** Host names resolved once per change, as Kafka resolves them (a name that does not resolve is skipped, with a warning). */
    private static Map<InetAddress, Integer> resolve(Map<String, Integer> overrides) {
        Map<InetAddress, Integer> resolved = new HashMap<>();
        overrides.forEach((host, count) -> {
            try {
                resolved.put(InetAddress.getByName(host), count);
            } catch (UnknownHostException e) {
                log.warn("Ignoring max.connections.per.ip.overrides entry {}: unknown host", host);
            }
        });
        return resolved;
    }

    /** Runs {@code watcher} (on the closing thread) whenever a connection closes or the limits change, so waiting acceptors look again. */
    void onSlotFreed(Runnable watcher) {
        slotWatchers.add(watcher);
    }

    /**
     * Records a new connection on {@code listener} in the creation rates (each connection once, before it
     * waits for a slot, as Kafka records it).
     *
     * @return how long to delay its acceptance, in ms (0: none)
     */
    synchronized long recordCreation(String listener, long nowMs) {
        long brokerDelay = isProtected(listener) ? 0 : delayMs(brokerRate, nowMs);
        return Math.max(brokerDelay, delayMs(listenerRates.get(listener), nowMs));
    }

    private static long delayMs(Sensor sensor, long nowMs) {
        try {
            sensor.record(1.0, nowMs);
            return 0;
        } catch (QuotaViolationException e) {
            // Kafka's QuotaUtils: the delay X that brings the observed rate O back to the limit T over a window W, O*W/(W+X) = T.
            Rate rate = (Rate) e.metric().measurable();
            double delay = (e.value() - e.bound()) / e.bound() * rate.windowSize(e.metric().config(), nowMs);
            return Math.min(Math.round(delay), QUOTA_WINDOW_MS);
        }
    }

    /** Takes the connection_creation_rate quotas of ip entities among {@code clientQuotas} (the metadata image's). */
    public synchronized void ipCreationRates(Map<ClientQuotaEntity, Map<String, Double>> clientQuotas) {
        ipRates.update(clientQuotas);
    }

    /**
     * Counts a connection from {@code address}, let through the creation-rate delay and slot wait, against its
     * address's creation-rate quota; a connection over it is taken back from the broker's and the listener's
     * rates too, as Kafka does, since it is not accepted.
     *
     * @return 0, or how long to hold the refused connection before closing it, in ms
     */
    synchronized long recordIpCreation(String listener, InetAddress address, long nowMs) {
        long throttleMs = ipRates.record(address, nowMs);
        if (throttleMs > 0) {
            if (!isProtected(listener)) {
                brokerRate.record(-1.0, nowMs, false);
            }
            listenerRates.get(listener).record(-1.0, nowMs, false);
        }
        return throttleMs;
    }

    /** Whether {@code listener} may take one more connection now. */
    synchronized boolean slotAvailable(String listener) {
        ConnectionLimits current = limits;
        if (countsByListener.get(listener) >= current.listener(listener).maxConnections()) {
            return false;
        }
        return isProtected(listener) || total < current.maxConnections();
    }

    /** Kafka lets the inter-broker listener past the broker-wide limit, when it is not the only listener. */
    private boolean isProtected(String listener) {
        return listener.equals(interBrokerListener) && countsByListener.size() > 1;
    }

    /**
     * Counts a connection from {@code address} on {@code listener}, unless the address already has as many
     * as it may: then nothing is counted and the caller closes it.
     *
     * @return the address's limit when it is refused, or -1 when it was counted
     */
    synchronized int open(String listener, InetAddress address) {
        int count = countsByAddress.getOrDefault(address, 0);
        int max = perAddressOverrides.getOrDefault(address, limits.maxConnectionsPerIp());
        if (count >= max) {
            return max;
        }
        countsByAddress.put(address, count + 1);
        countsByListener.merge(listener, 1, Integer::sum);
        total++;
        return -1;
    }

    /** Uncounts a connection {@link #open opened} from {@code address} on {@code listener}. */
    void close(String listener, InetAddress address) {
        synchronized (this) {
            countsByAddress.computeIfPresent(address, (ignored, count) -> count == 1 ? null : count - 1);
            countsByListener.merge(listener, -1, Integer::sum);
            total--;
        }
        slotWatchers.forEach(Runnable::run);
    }

    /** Open connections from {@code address}. */
    public synchronized int count(InetAddress address) {
        return countsByAddress.getOrDefault(address, 0);
    }
}
