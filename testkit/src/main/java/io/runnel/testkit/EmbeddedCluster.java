package io.runnel.testkit;

import io.runnel.broker.Broker;
import io.runnel.broker.config.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Runnel cluster of several brokers inside the current JVM, for tests: node ids 1..N, each on a
 * free port of {@code localhost} with its own data directory under the given one. The first three
 * nodes (or all, if fewer) are also the voters of the metadata quorum ({@code process.roles=broker,controller});
 * the others are brokers that follow the quorum. Heartbeats and session timeouts are shortened (500 ms
 * and 3 s) so that failures are noticed quickly; overrides may change them.
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.start(tempDir, 3, Map.of())) {
 *     props.put("bootstrap.servers", cluster.bootstrapServers());
 *     cluster.stop(2);       // controlled shutdown of node 2
 *     cluster.restart(2);    // back on the same ports and data
 * }
 * }</pre>
 *
 * <p>Not thread-safe: start, stop, restart and close it from one thread.
 */
public final class EmbeddedCluster extends NodeCluster implements AutoCloseable {

    private final Map<Integer, Broker> running = new TreeMap<>();

    private EmbeddedCluster(ClusterLayout layout) {
        super(layout);
    }

    /**
     * Starts {@code brokers} nodes at once and returns when every one serves requests and is unfenced.
     *
     * @param baseDir   the parent of the nodes' data directories ({@code node-1}, {@code node-2}, ...)
     * @param brokers   how many nodes (1 or more)
     * @param overrides broker configs for every node; listeners, log dirs, node ids and the quorum are set here
     *                  ({@code listener.security.protocol.map=PLAINTEXT:SSL,CONTROLLER:PLAINTEXT} with ssl.* keys
     *                  serves clients and other brokers over TLS)
     */
    public static EmbeddedCluster start(Path baseDir, int brokers, Map<String, String> overrides) {
        EmbeddedCluster cluster = new EmbeddedCluster(ClusterLayout.of(baseDir, brokers, overrides));
        try {
            cluster.startAll(cluster.layout.nodeIds());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The node ids currently running. */
    public Set<Integer> runningNodeIds() {
        return Set.copyOf(running.keySet());
    }

    /** The node id of the active controller, as node {@code askedNode} sees it, or -1. */
    public int activeControllerId(int askedNode) {
        Broker broker = running.get(askedNode);
        return broker == null ? -1 : broker.activeControllerId().orElse(-1);
    }

    /** The port of node {@code nodeId}'s HTTP metrics endpoint, or -1 when the node is not running or serves none. */
    public int metricsPort(int nodeId) {
        Broker broker = running.get(nodeId);
        return broker == null ? -1 : broker.metricsPort();
    }

    /** Shuts a node down cleanly (a controlled shutdown: it hands its leaderships over first). */
    public void stop(int nodeId) {
        Broker broker = running.remove(nodeId);
        if (broker != null) {
            broker.close();
        }
    }

    /** Starts a stopped node again on its ports and data directory; returns once it is unfenced. */
    public void restart(int nodeId) {
        stop(nodeId);
        startAll(Set.of(nodeId));
    }

    private void startAll(Set<Integer> nodeIds) {
        // Together: a voter's broker waits for a quorum, which needs the other voters up.
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int nodeId : nodeIds) {
            BrokerConfig config = BrokerConfig.parse(config(nodeId));
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    Broker broker = Broker.start(config);
                    synchronized (running) {
                        running.put(nodeId, broker);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("node " + nodeId + " failed to start in " + dataDir(nodeId) + ": " + e.getMessage(), e);
                }
            }, runnable -> {
                Thread thread = new Thread(runnable, "embedded-cluster-start-" + nodeId);
                thread.setDaemon(true);
                thread.start();
            }));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** Shuts every running node down, brokers that do not vote first, so the quorum lasts until the end. */
    @Override
    public void close() {
        List<Integer> order = new ArrayList<>(running.keySet());
        order.sort((a, b) -> Boolean.compare(layout.isVoter(a), layout.isVoter(b)));
        for (int nodeId : order) {
            stop(nodeId);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedCluster[" + bootstrapServers() + ", running " + running.keySet() + "]";
    }
}
