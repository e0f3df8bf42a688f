package io.runnel.broker.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One listener of {@code listeners} / {@code advertised.listeners}: {@code NAME://host:port}. Immutable.
 *
 * @param name the listener (and security protocol) name, e.g. PLAINTEXT
 * @param host the host to bind or advertise; empty means all interfaces when binding
 * @param port the port; 0 binds a random free port
 */
public record Listener(String name, String host, int port) {

    /** Parses a comma-separated listener list, as Kafka writes it. */
    public static List<Listener> parseList(String key, String value) {
        List<Listener> listeners = new ArrayList<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                listeners.add(parse(key, trimmed));
            }
        }
        if (listeners.isEmpty()) {
            throw new InvalidConfigException("Invalid value '" + value + "' for configuration " + key + ": no listener given");
        }
        return List.copyOf(listeners);
    }

    private static Listener parse(String key, String entry) {
        int scheme = entry.indexOf("://");
        int colon = entry.lastIndexOf(':');
        if (scheme <= 0 || colon <= scheme + 2) {
            throw invalid(key, entry, "expected NAME://host:port");
        }
        String name = entry.substring(0, scheme);
        String host = entry.substring(scheme + 3, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(entry.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw invalid(key, entry, "port out of range");
            }
            return new Listener(name, host, port);
        } catch (NumberFormatException e) {
            throw invalid(key, entry, "port is not a number");
        }
    }

    /** The listener as written in {@code listeners}: {@code NAME://host:port}, an IPv6 host in brackets. */
    public String toUri() {
        return name + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static InvalidConfigException invalid(String key, String entry, String why) {
        return new InvalidConfigException("Invalid value '" + entry + "' for configuration " + key + ": " + why);
    }
}
