package io.runnel.metadata;

/**
 * One listener a broker advertises: the name clients connected through, and where to reach it. Immutable.
 *
 * @param listener the listener name, e.g. PLAINTEXT
 * @param host the advertised host
 * @param port the advertised port
 */
public record BrokerEndpoint(String listener, String host, int port) { }
