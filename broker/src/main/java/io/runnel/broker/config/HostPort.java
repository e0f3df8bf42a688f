package io.runnel.broker.config;

/**
 * A {@code host:port} pair as Kafka's configs write it (IPv6 hosts in brackets). Immutable.
 *
 * @param host the host name or address, brackets removed; never empty
 * @param port the port, 1 to 65535
 */
record HostPort(String host, int port) {

    /** The pair, or null when {@code value} is not {@code host:port} with a port from 1 to 65535. */
    static HostPort parse(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = value.substring(0, colon).trim();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1).trim());
            return host.isEmpty() || port < 1 || port > 65535 ? null : new HostPort(host, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
