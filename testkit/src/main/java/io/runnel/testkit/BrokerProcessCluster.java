package io.runnel.testkit;

import io.runnel.testkit.link.NodeLinks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Runnel cluster of separate broker processes on localhost, for tests that crash nodes: node ids 1..N,
 * the first three (or all, if fewer) also voters of the metadata quorum, configured as
 * {@link EmbeddedCluster} configures its nodes (heartbeat 500 ms, session timeout 3 s; overrides may
 * change them). Each node is a {@link BrokerProcess} with a small heap and one processor's worth of
 * threads ({@link #JVM_OPTIONS}), so three nodes and the test fit on two cores. A node can be killed
 * (SIGKILL), stopped (SIGTERM, a controlled shutdown), paused (SIGSTOP), resumed, and started again on
 * its ports and data directory. Each node's output goes to {@code node-<id>.broker.log} next to its data.
 *
 * <pre>{@code
 * try (BrokerProcessCluster cluster = BrokerProcessCluster.start(tempDir, 3, Map.of())) {
 *     props.put("bootstrap.servers", cluster.bootstrapServers());
 *     cluster.kill(2);       // SIGKILL: fenced after the session timeout
 *     cluster.restart(2);    // back on the same ports and data, returns once unfenced
 * }
 * }</pre>
 *
 * <p>{@link #startWithLinks} starts a cluster whose nodes reach each other only through {@link NodeLinks}
 * (an in-process TCP proxy per link; clients still reach every node directly), so a test can also cut a
 * node off from the others ({@link #isolate(int)}) and {@link #heal(int)} it.
 *
 * <p>Not thread-safe: start, kill, stop, restart and close it from one thread.
 */
public final class BrokerProcessCluster extends NodeCluster implements AutoCloseable {

    /** The options of every node's JVM: small heap, serial GC, one processor, quick start. */
    public static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1",
            "-XX:TieredStopAtLevel=1");

    /** How a voter's log says it took over: "Node 2 is the active controller (term 3)". */
    private static final Pattern BECAME_ACTIVE = Pattern.compile("Node (\\d+) is the active controller \\(term (\\d+)\\)");
    private static final Pattern STOPPED_BEING_ACTIVE = Pattern.compile("Node (\\d+) is no longer the active controller");

    private final Map<Integer, BrokerProcess> running = new TreeMap<>();
    /** The links between nodes, for a cluster started with {@link #startWithLinks}; else null. */
    private final NodeLinks links;

    private BrokerProcessCluster(ClusterLayout layout, NodeLinks links) {
        super(layout);
        this.links = links;
    }

    /**
     * Starts {@code nodes} broker processes at once and returns when every one serves requests and is
     * unfenced; if one fails, stops the others and throws its {@link BrokerProcessException}.
     *
     * @param baseDir   the parent of the nodes' data directories ({@code node-1}, {@code node-2}, ...)
     * @param nodes     how many nodes (1 or more)
     * @param overrides broker configs for every node; listeners, log dirs, node ids and the quorum are set here
     */
    public static BrokerProcessCluster start(Path baseDir, int nodes, Map<String, String> overrides) {
        return startNodes(new BrokerProcessCluster(ClusterLayout.of(baseDir, nodes, overrides), null));
    }

    /**
     * Starts a cluster as {@link #start} does, but whose nodes connect to each other (brokers on the
     * inter-broker listener {@code REPLICATION}, voters on {@code CONTROLLER}) only through {@link NodeLinks},
     * so that {@link #isolate(int)} can cut a node off. Clients connect to {@code PLAINTEXT} directly.
     */
    public static BrokerProcessCluster startWithLinks(Path baseDir, int nodes, Map<String, String> overrides) {
        ClusterLayout layout = ClusterLayout.linked(baseDir, nodes, overrides);
        return startNodes(new BrokerProcessCluster(layout, NodeLinks.start(layout.hostsDir(), layout.interNodePorts())));
    }

    private static BrokerProcessCluster startNodes(BrokerProcessCluster cluster) {
        try {
            cluster.startTogether(cluster.layout.nodeIds());
        } catch (RuntimeException e) {
            cluster.killAll();
            if (cluster.links != null) {
                cluster.links.close();
            }
            throw e;
        }
        return cluster;
    }

    /**
     * Cuts every connection between a node and the other nodes, both ways, as a network partition would:
     * bytes stop, connections stay open until {@link #heal(int)}. Clients still reach the node.
     *
     * @throws IllegalStateException unless the cluster was started with {@link #startWithLinks}
     */
    public void isolate(int nodeId) {
        links().isolate(nodeId);
    }

    /** Reconnects a node {@link #isolate(int) isolated} before: connections that lived through the cut are closed. */
    public void heal(int nodeId) {
        links().heal(nodeId);
    }

    /** The links between nodes, for finer faults (one direction, one pair). */
    public NodeLinks links() {
        if (links == null) {
            throw new IllegalStateException("the nodes of this cluster connect directly; start it with startWithLinks to cut links");
        }
        return links;
    }

    /** The node ids whose process runs (paused ones included). */
    public Set<Integer> runningNodeIds() {
        running.values().removeIf(process -> !process.isAlive());
        return Set.copyOf(running.keySet());
    }

    /** The process of a running node. */
    public BrokerProcess node(int nodeId) {
        BrokerProcess process = running.get(nodeId);
        if (process == null) {
            throw new IllegalStateException("node " + nodeId + " is not running; running: " + running.keySet());
        }
        return process;
    }

    /**
     * The node id of the active controller as the running, unpaused nodes' logs tell it (the voter whose
     * latest "is the active controller" line has the highest term and was not followed by "no longer"),
     * or -1 if none. Reads logs only, so it answers even when no node serves requests; a controller that
     * lost its quorum without noticing yet still counts.
     */
    public int activeControllerId() {
        int active = -1;
        long activeTerm = -1;
        for (Map.Entry<Integer, BrokerProcess> node : running.entrySet()) {
            if (!node.getValue().isAlive() || node.getValue().isPaused()) {
                continue;
            }
            long term = -1;
            for (String line : node.getValue().output()) {
                Matcher became = BECAME_ACTIVE.matcher(line);
                if (became.find() && Integer.parseInt(became.group(1)) == node.getKey()) {
                    term = Long.parseLong(became.group(2));
                } else if (STOPPED_BEING_ACTIVE.matcher(line).find()) {
                    term = -1;
                }
            }
            if (term > activeTerm) {
                activeTerm = term;
                active = node.getKey();
            }
        }
        return active;
    }

    /**
     * Kills a node with SIGKILL (no controlled shutdown, no flush) and waits until it is gone. The
     * controller fences it once its session times out.
     *
     * @return the exit code (137 on Linux)
     */
    public int kill(int nodeId) {
        int exitCode = node(nodeId).kill();
        running.remove(nodeId);
        return exitCode;
    }

    /**
     * Stops a node with SIGTERM (a controlled shutdown: it hands its leaderships over first) and waits
     * until it exits.
     *
     * @return the exit code; 0 for a clean shutdown
     */
    public int stop(int nodeId) {
        int exitCode = node(nodeId).stop();
        running.remove(nodeId);
        return exitCode;
    }

    /** Freezes a node with SIGSTOP; see {@link BrokerProcess#pause()}. */
    public void pause(int nodeId) {
        node(nodeId).pause();
    }

    /** Continues a node frozen by {@link #pause(int)}. */
    public void resume(int nodeId) {
        node(nodeId).resume();
    }

    /**
     * Starts stopped or killed nodes again, together, on their ports and data directories, and returns
     * once each is unfenced (a voter needs a majority of voters running to get there). Running nodes
     * among them are stopped first (SIGTERM).
     */
    public void restart(int... nodeIds) {
        List<Integer> ids = new ArrayList<>();
        for (int nodeId : nodeIds) {
            if (running.containsKey(nodeId)) {
                stop(nodeId);
            }
            ids.add(nodeId);
        }
        startTogether(ids);
    }

    /**
     * Launches an extra broker process (no vote) with node id {@code nodeId} (one of the cluster's or a new
     * one) joining the cluster's quorum, on a fresh port and the given data directory, without waiting for
     * it: for a broker added later, or one that should refuse to start (a node id held by a live broker,
     * another cluster's data). The cluster does not track it; call {@link BrokerProcess#awaitStarted()} and
     * close it. In a cluster {@link #startWithLinks started with links} it has no link of its own: others
     * reach it on its PLAINTEXT listener, and it reaches them through the first node's links.
     *
     * @param overrides configs over the node's, applied last
     */
    public BrokerProcess launchBroker(int nodeId, Path dataDir, Map<String, String> overrides) {
        int port = FreePort.pick();
        Map<String, String> config = new TreeMap<>(layout.config(layout.nodeIds().iterator().next()));
        config.put("node.id", Integer.toString(nodeId));
        config.put("process.roles", "broker");
        config.put("listeners", "PLAINTEXT://localhost:" + port);
        config.put("log.dirs", dataDir.toAbsolutePath().toString());
        if (links != null) {
            // No link of its own: other brokers reach it on PLAINTEXT, it reaches them through the first node's links.
            config.remove("advertised.listeners");
            config.remove("inter.broker.listener.name");
        }
        config.putAll(overrides);
        return BrokerProcess.launch(dataDir, port, config, jvmOptions(layout.nodeIds().iterator().next()));
    }

    /** The JVM options of a node: {@link #JVM_OPTIONS}, and its hosts file when nodes are linked. */
    private List<String> jvmOptions(int nodeId) {
        if (links == null) {
            return JVM_OPTIONS;
        }
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.add(links.jvmOption(nodeId));
        return options;
    }

    private void startTogether(Collection<Integer> nodeIds) {
        // Launched before any is awaited: a voter is ready only once a majority of voters runs.
        Map<Integer, BrokerProcess> launched = new TreeMap<>();
        for (int nodeId : nodeIds) {
            launched.put(nodeId, BrokerProcess.launch(layout.dataDir(nodeId), layout.brokerPort(nodeId), layout.config(nodeId), jvmOptions(nodeId)));
        }
        running.putAll(launched);
        for (BrokerProcess process : launched.values()) {
            process.awaitStarted();
        }
    }

    private void killAll() {
        for (BrokerProcess process : running.values()) {
            if (process.isAlive()) {
                process.kill();
            }
        }
        running.clear();
    }

    /**
     * Stops every running node: paused ones are resumed, then all get SIGTERM at once. Nodes that have
     * not exited within a minute are killed.
     */
    @Override
    public void close() {
        List<BrokerProcess> stopping = new ArrayList<>(running.values());
        running.clear();
        for (BrokerProcess process : stopping) {
            process.terminate();
        }
        for (BrokerProcess process : stopping) {
            process.close();
        }
        if (links != null) {
            links.close();
        }
    }

    @Override
    public String toString() {
        return "BrokerProcessCluster[" + bootstrapServers() + ", running " + running.keySet() + "]";
    }
}
