package io.runnel.bench.compare;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The broker configuration both brokers get, by Kafka's names: one listener on the loopback address,
 * data on the same disk, Kafka's default flush policy (none: the OS flushes), the same partition and
 * thread defaults, and the development settings of Kafka's shipped {@code server.properties}
 * (replication factor 1 for internal topics, no initial rebalance delay). Runnel ignores, with a
 * warning, the names it has no use for.
 */
final class BrokerSettings {

    private BrokerSettings() {
    }

    static Map<String, String> shared(Path dataDir, int port) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.id", "1");
        settings.put("listeners", "PLAINTEXT://localhost:" + port);
        settings.put("log.dirs", dataDir.toAbsolutePath().toString());
        settings.put("num.partitions", "1");
        settings.put("num.network.threads", "3");
        settings.put("num.io.threads", "8");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        return settings;
    }

    /**
     * {@code settings} (one broker's, PLAINTEXT on {@code listeners.plaintextPort()}) with the SSL and
     * SASL_SSL listeners of {@code listeners} beside it, if it has them, and the settings they need
     * ({@link ListenerSecurity#brokerSettings}); as they are if it has none. Kafka's names, so both brokers read them alike.
     */
    static Map<String, String> withClientListeners(Map<String, String> settings, ClientListeners listeners,
                                                   Map<String, String> security) {
        if (!listeners.secured()) {
            return settings;
        }
        Map<String, String> secured = new LinkedHashMap<>(settings);
        secured.put("listeners", settings.get("listeners") + "," + listeners.securedListeners());
        String protocols = settings.get("listener.security.protocol.map");
        if (protocols != null) { // else the default maps each listener named after a protocol to it
            secured.put("listener.security.protocol.map", protocols + "," + listeners.securedProtocolMap());
        }
        secured.putAll(security);
        return secured;
    }

    /**
     * The settings of node {@code nodeId} of a KRaft quorum whose voters are combined brokers and
     * controllers, as Kafka's and Runnel's three-node recipes write them: the shared settings, the
     * client listener on {@code port} and the controller listener on the node's controller port.
     *
     * @param controllerPorts every voter's node id and controller port
     */
    static Map<String, String> combined(Path dataDir, int nodeId, int port, Map<Integer, Integer> controllerPorts) {
        Map<String, String> settings = shared(dataDir, port);
        settings.put("node.id", Integer.toString(nodeId));
        settings.put("process.roles", "broker,controller");
        settings.put("controller.quorum.voters", controllerPorts.entrySet().stream()
                .map(e -> e.getKey() + "@localhost:" + e.getValue()).collect(Collectors.joining(",")));
        settings.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPorts.get(nodeId));
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        return settings;
    }

    /**
     * What the replicated comparison ({@code bench/compare --cluster --replicated}) adds to
     * {@link #combined} on every node: topics get three replicas unless they say otherwise, and a
     * write needs two in sync ({@code acks=all} is refused with fewer).
     */
    static Map<String, String> replicated() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("default.replication.factor", "3");
        settings.put("min.insync.replicas", "2");
        return settings;
    }
}
