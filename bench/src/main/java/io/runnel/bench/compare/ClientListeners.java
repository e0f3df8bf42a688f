package io.runnel.bench.compare;

import io.runnel.testkit.FreePort;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The listeners a broker of the comparison serves clients on, each named after its security protocol
 * as Kafka's examples name them: PLAINTEXT always (the harness's own admin, prefills and the plaintext
 * scenarios), SSL and SASL_SSL as well when the run has scenarios over them. Both brokers get the same.
 *
 * @param ports each listener's port on {@code localhost}; PLAINTEXT is required
 */
record ClientListeners(Map<SecurityProtocol, Integer> ports) {

    ClientListeners {
        ports = Collections.unmodifiableMap(new EnumMap<>(ports)); // PLAINTEXT, SSL, SASL_SSL: the enum's order
    }

    /** Free ports for PLAINTEXT and, if {@code secured}, SSL and SASL_SSL. */
    static ClientListeners pick(boolean secured) {
        Map<SecurityProtocol, Integer> ports = new EnumMap<>(SecurityProtocol.class);
        ports.put(SecurityProtocol.PLAINTEXT, FreePort.pick());
        if (secured) {
            ports.put(SecurityProtocol.SSL, FreePort.pick());
            ports.put(SecurityProtocol.SASL_SSL, FreePort.pick());
        }
        return new ClientListeners(ports);
    }

    /** Whether there are SSL and SASL_SSL listeners. */
    boolean secured() {
        return ports.size() > 1;
    }

    /** The PLAINTEXT listener's port, the one the readiness probe asks. */
    int plaintextPort() {
        return ports.get(SecurityProtocol.PLAINTEXT);
    }

    /** {@code localhost:<port>} of the listener of {@code protocol}. */
    String bootstrap(SecurityProtocol protocol) {
        Integer port = ports.get(protocol);
        if (port == null) {
            throw new IllegalStateException("no " + protocol + " listener: the run has no scenario over it");
        }
        return "localhost:" + port;
    }

    /** The SSL and SASL_SSL entries of {@code listeners}, e.g. {@code SSL://localhost:9093,SASL_SSL://localhost:9094}. */
    String securedListeners() {
        return securedPorts().map(e -> e.getKey().name + "://localhost:" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The SSL and SASL_SSL entries of {@code listener.security.protocol.map}: {@code SSL:SSL,SASL_SSL:SASL_SSL}. */
    String securedProtocolMap() {
        return securedPorts().map(e -> e.getKey().name + ":" + e.getKey().name).collect(Collectors.joining(","));
    }

    private Stream<Map.Entry<SecurityProtocol, Integer>> securedPorts() {
        return ports.entrySet().stream().filter(e -> e.getKey() != SecurityProtocol.PLAINTEXT);
    }
}
