package io.runnel.testkit;

import io.runnel.testkit.link.NodeLinks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The shape of a test cluster on localhost, shared by {@link EmbeddedCluster} and
 * {@link BrokerProcessCluster}: node ids 1..N, each with a free broker port and a data directory
 * {@code node-<id>} under a base directory; the first three nodes (or all, if fewer) also vote in the
 * metadata quorum on a controller port of their own. Ports are picked once, so a node restarts on the
 * same ones, and by {@link FreePort}, outside the ephemeral range: every node must know the voters' ports
 * before any binds, so none can bind port 0. Immutable.
 *
 * <p>A <em>linked</em> layout ({@link #linked}) also gives each node an inter-broker listener
 * {@code REPLICATION} on a port of its own, and names nodes by {@link NodeLinks#hostName(int)} in that
 * listener and in {@code controller.quorum.voters}, so that {@link NodeLinks} can route every connection
 * between nodes through a link it can cut. Clients still connect to {@code PLAINTEXT} on localhost.
 */
public final class ClusterLayout {

    /** How many nodes at most vote in the metadata quorum. */
    static final int MAX_VOTERS = 3;

    private final Path baseDir;
    private final Map<String, String> overrides;
    private final Map<Integer, Integer> brokerPorts = new TreeMap<>();
    private final Map<Integer, Integer> controllerPorts = new TreeMap<>();
    /** Ports of the REPLICATION listeners; empty unless the layout is linked. */
    private final Map<Integer, Integer> replicationPorts = new TreeMap<>();

    private ClusterLayout(Path baseDir, Map<String, String> overrides) {
        this.baseDir = baseDir;
        this.overrides = Map.copyOf(overrides);
    }

    /** Picks the ports of {@code nodes} nodes. */
    static ClusterLayout of(Path baseDir, int nodes, Map<String, String> overrides) {
        return create(baseDir, nodes, overrides, false);
    }

    /** Picks the ports of {@code nodes} nodes that reach each other through {@link NodeLinks}. */
    public static ClusterLayout linked(Path baseDir, int nodes, Map<String, String> overrides) {
        return create(baseDir, nodes, overrides, true);
    }

    private static ClusterLayout create(Path baseDir, int nodes, Map<String, String> overrides, boolean linked) {
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(overrides, "overrides");
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster has at least one broker");
        }
        ClusterLayout layout = new ClusterLayout(baseDir, overrides);
        for (int id = 1; id <= nodes; id++) {
            layout.brokerPorts.put(id, FreePort.pick());
            if (id <= MAX_VOTERS) {
                layout.controllerPorts.put(id, FreePort.pick());
            }
            if (linked) {
                layout.replicationPorts.put(id, FreePort.pick());
            }
        }
        return layout;
    }

    boolean isLinked() {
        return !replicationPorts.isEmpty();
    }

    /** Node id to the ports other nodes connect to on it (REPLICATION, then CONTROLLER for a voter); linked layouts only. */
    public Map<Integer, List<Integer>> interNodePorts() {
        Map<Integer, List<Integer>> ports = new TreeMap<>();
        for (int id : nodeIds()) {
            List<Integer> own = new ArrayList<>();
            own.add(replicationPorts.get(id));
            if (isVoter(id)) {
                own.add(controllerPorts.get(id));
            }
            ports.put(id, own);
        }
        return ports;
    }

    /** Where linked nodes' hosts files go. */
    public Path hostsDir() {
        return baseDir.resolve("hosts");
    }

    public Set<Integer> nodeIds() {
        return brokerPorts.keySet();
    }

    Set<Integer> voterIds() {
        return controllerPorts.keySet();
    }

    boolean isVoter(int nodeId) {
        return controllerPorts.containsKey(nodeId);
    }

    public int brokerPort(int nodeId) {
        Integer port = brokerPorts.get(nodeId);
        if (port == null) {
            throw new IllegalArgumentException("no node " + nodeId + " in " + brokerPorts.keySet());
        }
        return port;
    }

    public String bootstrapServers() {
        return brokerPorts.values().stream().map(port -> "localhost:" + port).collect(Collectors.joining(","));
    }

    String bootstrapServers(int nodeId) {
        return "localhost:" + brokerPort(nodeId);
    }

    public Path dataDir(int nodeId) {
        return baseDir.resolve("node-" + nodeId);
    }

    /** The configuration node {@code nodeId} starts with: what a three-node recipe writes in server.properties. */
    public Map<String, String> config(int nodeId) {
        Map<String, String> properties = new HashMap<>();
        properties.put("broker.heartbeat.interval.ms", "500");
        properties.put("broker.session.timeout.ms", "3000");
        properties.put("metrics.port", "0");
        properties.putAll(overrides);
        boolean voter = isVoter(nodeId);
        properties.put("node.id", Integer.toString(nodeId));
        properties.put("process.roles", voter ? "broker,controller" : "broker");
        properties.put("log.dirs", dataDir(nodeId).toAbsolutePath().toString());
        if (isLinked()) {
            linkedListeners(nodeId, properties);
            return properties;
        }
        properties.put("controller.quorum.voters", controllerPorts.entrySet().stream()
                .map(e -> e.getKey() + "@localhost:" + e.getValue()).collect(Collectors.joining(",")));
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("listeners", "PLAINTEXT://localhost:" + brokerPort(nodeId)
                + (voter ? ",CONTROLLER://localhost:" + controllerPorts.get(nodeId) : ""));
        // An override may serve the PLAINTEXT-named listener with TLS (PLAINTEXT:SSL,CONTROLLER:PLAINTEXT).
        properties.put("listener.security.protocol.map",
                overrides.getOrDefault("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));
        return properties;
    }

    /**
     * Clients on PLAINTEXT at localhost; other brokers on REPLICATION and voters on CONTROLLER, both at the
     * node's host name, which each node resolves to the link that leads to it.
     */
    private void linkedListeners(int nodeId, Map<String, String> properties) {
        String self = NodeLinks.hostName(nodeId);
        String replication = "REPLICATION://" + self + ":" + replicationPorts.get(nodeId);
        properties.put("controller.quorum.voters", controllerPorts.entrySet().stream()
                .map(e -> e.getKey() + "@" + NodeLinks.hostName(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(",")));
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("listeners", "PLAINTEXT://localhost:" + brokerPort(nodeId) + "," + replication
                + (isVoter(nodeId) ? ",CONTROLLER://" + self + ":" + controllerPorts.get(nodeId) : ""));
        properties.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort(nodeId) + "," + replication);
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,REPLICATION:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("inter.broker.listener.name", "REPLICATION");
    }
}
