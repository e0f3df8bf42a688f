package io.runnel.broker.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The limits on client connections, with Kafka's keys, types and defaults (Kafka's SocketServerConfigs):
 * {@code max.connections}, {@code max.connection.creation.rate} and {@code connections.max.idle.ms}, each
 * also per listener as {@code listener.name.<listener>.<key>}, and {@code max.connections.per.ip} with
 * {@code max.connections.per.ip.overrides} ({@code host:count,...}). Immutable.
 *
 * @param maxConnections            broker-wide open connections ({@code max.connections})
 * @param maxConnectionsPerIp       open connections from one address ({@code max.connections.per.ip})
 * @param perIpOverrides            {@code max.connections.per.ip.overrides}: host or address to its own limit
 * @param maxConnectionCreationRate broker-wide new connections per second ({@code max.connection.creation.rate})
 * @param listeners                 each broker listener's own limits, by listener name
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerIp, Map<String, Integer> perIpOverrides, int maxConnectionCreationRate,
                               Map<String, ListenerLimits> listeners) {

    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    public static final String MAX_CONNECTION_CREATION_RATE = "max.connection.creation.rate";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";

    /** The keys Kafka changes without a restart (its SocketServer.ReconfigurableConfigs); the idle timeout is not one. */
    public static final Set<String> DYNAMIC = Set.of(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_IP_OVERRIDES,
            MAX_CONNECTION_CREATION_RATE);
    /**
     * The keys that may be given per listener: Kafka's ListenerReconfigurableConfigs, and the idle timeout. Kafka's
     * processors read only the broker-wide {@code connections.max.idle.ms} (a prefixed one is accepted and ignored);
     * Runnel honours the prefixed one, so a listener for other brokers or for tools can keep idle connections longer.
     */
    private static final Set<String> PER_LISTENER = Set.of(MAX_CONNECTIONS, MAX_CONNECTION_CREATION_RATE, CONNECTIONS_MAX_IDLE_MS);
    private static final String LISTENER_PREFIX = "listener.name.";
    private static final ConfigDef KEYS = define(new ConfigDef());

    /**
     * One listener's limits.
     *
     * @param maxConnections            open connections on the listener
     * @param maxConnectionCreationRate new connections per second on the listener
     * @param connectionsMaxIdleMs      how long a connection may stay idle before the broker closes it (negative: forever)
     */
    public record ListenerLimits(int maxConnections, int maxConnectionCreationRate, long connectionsMaxIdleMs) { }

    public ConnectionLimits {
        perIpOverrides = Map.copyOf(perIpOverrides);
        listeners = Map.copyOf(listeners);
    }

    /** Adds the keys to a broker's definition, with Kafka's documentation in short. */
    static ConfigDef define(ConfigDef definition) {
        return definition
                .define(MAX_CONNECTIONS, INT, Integer.MAX_VALUE, ConfigDef.Range.atLeast(0), MEDIUM,
                        "Open connections the broker allows; new ones wait until one closes. The inter-broker listener may go beyond it. "
                                + "listener.name.<l>. gives a listener its own limit.")
                .define(MAX_CONNECTIONS_PER_IP, INT, Integer.MAX_VALUE, ConfigDef.Range.atLeast(0), MEDIUM,
                        "Open connections allowed from one address; a connection beyond it is closed at once. 0 only with overrides.")
                .define(MAX_CONNECTIONS_PER_IP_OVERRIDES, STRING, "", MEDIUM, "Per address or host name limits: host:count,host:count.")
                .define(MAX_CONNECTION_CREATION_RATE, INT, Integer.MAX_VALUE, ConfigDef.Range.atLeast(0), MEDIUM,
                        "New connections per second the broker accepts; beyond it acceptance is delayed. listener.name.<l>. per listener.")
                .define(CONNECTIONS_MAX_IDLE_MS, LONG, 600000L, MEDIUM,
                        "Connections idle longer than this are closed (negative: never). listener.name.<l>. per listener.");
    }

    /** Whether a key is one of these limits given for one listener ({@code listener.name.internal.max.connections}). */
    static boolean isListenerKey(String key) {
        if (!key.startsWith(LISTENER_PREFIX)) {
            return false;
        }
        int nameEnd = key.indexOf('.', LISTENER_PREFIX.length());
        return nameEnd > 0 && PER_LISTENER.contains(key.substring(nameEnd + 1));
    }

    /**
     * Whether a key can be changed without a restart: Kafka's broker-wide ones, and every listener-prefixed one
     * (Kafka takes any {@code listener.name.<l>.} key dynamically, the idle timeout too; here it applies to new connections).
     */
    public static boolean isDynamic(String key) {
        return DYNAMIC.contains(key) || isListenerKey(key);
    }

    /**
     * The limits of the broker and of each listener, the prefixed key winning over the broker-wide one for
     * a listener, as Kafka reads them.
     *
     * @throws InvalidConfigException naming the key of a bad value
     */
    static ConnectionLimits parse(Map<String, Object> values, Map<String, String> originals, List<String> listenerNames) {
        int perIp = (Integer) values.get(MAX_CONNECTIONS_PER_IP);
        Map<String, Integer> overrides = overrides((String) values.get(MAX_CONNECTIONS_PER_IP_OVERRIDES));
        if (perIp == 0 && overrides.isEmpty()) {
            throw new InvalidConfigException(MAX_CONNECTIONS_PER_IP + " can be set to zero only if " + MAX_CONNECTIONS_PER_IP_OVERRIDES
                    + " property is set.");
        }
        Map<String, ListenerLimits> listeners = new HashMap<>();
        for (String name : listenerNames) {
            listeners.put(name, listenerLimits(values, originals, name));
        }
        return new ConnectionLimits((Integer) values.get(MAX_CONNECTIONS), perIp, overrides, (Integer) values.get(MAX_CONNECTION_CREATION_RATE),
                listeners);
    }

    private static ListenerLimits listenerLimits(Map<String, Object> values, Map<String, String> originals, String listenerName) {
        String prefix = LISTENER_PREFIX + listenerName.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> given = new HashMap<>();
        for (String key : PER_LISTENER) {
            String value = originals.get(prefix + key);
            if (value != null) {
                given.put(key, value);
            }
        }
        Map<String, Object> parsed;
        try {
            parsed = KEYS.parse(given);
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage() + " (listener " + listenerName + ")");
        }
        // As Kafka's valuesWithPrefixOverride: the prefixed key wins, the broker-wide one applies otherwise.
        return new ListenerLimits((Integer) (given.containsKey(MAX_CONNECTIONS) ? parsed : values).get(MAX_CONNECTIONS),
                (Integer) (given.containsKey(MAX_CONNECTION_CREATION_RATE) ? parsed : values).get(MAX_CONNECTION_CREATION_RATE),
                (Long) (given.containsKey(CONNECTIONS_MAX_IDLE_MS) ? parsed : values).get(CONNECTIONS_MAX_IDLE_MS));
    }

    /** Kafka's {@code host:count,host:count}, with its messages for a bad entry. */
    private static Map<String, Integer> overrides(String list) {
        Map<String, Integer> overrides = new HashMap<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException("no host:count");
                }
                overrides.put(trimmed.substring(0, colon).trim(), Integer.parseInt(trimmed.substring(colon + 1).trim()));
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("Invalid value " + list + " for configuration " + MAX_CONNECTIONS_PER_IP_OVERRIDES
                        + ": each entry must be host:count");
            }
        }
        return overrides;
    }

    /** The limits of one listener: its own keys, else the broker-wide ones. */
    public ListenerLimits listener(String listenerName) {
        ListenerLimits limits = listeners.get(listenerName);
        if (limits == null) {
            throw new IllegalArgumentException("not a broker listener: " + listenerName);
        }
        return limits;
    }
}
