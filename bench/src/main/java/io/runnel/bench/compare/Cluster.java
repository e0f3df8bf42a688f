package io.runnel.bench.compare;

import io.runnel.testkit.FreePort;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * Three nodes of one broker, each a combined broker and controller (a voter of the metadata quorum)
 * in a JVM of its own, started at once, as the three-node recipes of Kafka and of Runnel's README do.
 * Closing it stops every node that still runs, all at once. Not thread-safe.
 */
final class Cluster implements AutoCloseable {

    static final int NODES = 3;

    private final Broker broker;
    private final Map<Integer, BrokerProcess> nodes;
    private final Map<Integer, JavaCommand> commands;
    private final Map<Integer, Integer> brokerPorts;
    private final double prepareMillis;
    private final double readyMillis;

    private Cluster(Broker broker, Map<Integer, BrokerProcess> nodes, Map<Integer, JavaCommand> commands,
                    Map<Integer, Integer> brokerPorts, double prepareMillis, double readyMillis) {
        this.broker = broker;
        this.nodes = nodes;
        this.commands = commands;
        this.brokerPorts = brokerPorts;
        this.prepareMillis = prepareMillis;
        this.readyMillis = readyMillis;
    }

    /** {@link #start(BrokerLauncher, Path, Path, String, Map)} with the settings of {@link BrokerSettings#combined} alone. */
    static Cluster start(BrokerLauncher launcher, Path dir, Path logs, String prefix) throws IOException, InterruptedException {
        return start(launcher, dir, logs, prefix, Map.of());
    }

    /**
     * Prepares three nodes under {@code dir} (Kafka formats each with one cluster id), spawns them one
     * after the other without waiting, then waits until every node's Metadata answer lists all three
     * brokers: each is registered and unfenced, and each node knows it. Nodes' output goes to
     * {@code logs/<prefix>-node-N.log}. If the cluster does not become ready, every node is killed.
     *
     * @param extraSettings settings every node gets on top of {@link BrokerSettings#combined} (Kafka's names)
     */
    static Cluster start(BrokerLauncher launcher, Path dir, Path logs, String prefix, Map<String, String> extraSettings)
            throws IOException, InterruptedException {
        Map<Integer, Integer> brokerPorts = new LinkedHashMap<>();
        Map<Integer, Integer> controllerPorts = new LinkedHashMap<>();
        for (int id = 1; id <= NODES; id++) {
            brokerPorts.put(id, FreePort.pick());
            controllerPorts.put(id, FreePort.pick());
        }
        String clusterId = Uuid.randomUuid().toString();
        Map<Integer, JavaCommand> commands = new LinkedHashMap<>();
        Map<Integer, Path> logFiles = new LinkedHashMap<>();
        long prepareStart = System.nanoTime();
        for (int id = 1; id <= NODES; id++) {
            Path nodeDir = dir.resolve("node-" + id);
            logFiles.put(id, logs.resolve(prefix + "-node-" + id + ".log"));
            Map<String, String> settings = BrokerSettings.combined(nodeDir.resolve("data"), id, brokerPorts.get(id), controllerPorts);
            settings.putAll(extraSettings);
            commands.put(id, launcher.node(nodeDir, logFiles.get(id), settings, clusterId));
        }
        double prepareMillis = (System.nanoTime() - prepareStart) / 1e6;

        Map<Integer, Process> processes = new LinkedHashMap<>();
        Map<Integer, Long> spawned = new LinkedHashMap<>();
        ExecutorService probes = Executors.newFixedThreadPool(NODES);
        try {
            for (int id = 1; id <= NODES; id++) {
                spawned.put(id, System.nanoTime());
                processes.put(id, Spawn.process(commands.get(id), logFiles.get(id)));
            }
            long lastSpawned = System.nanoTime();
            Map<Integer, Future<long[]>> awaited = new LinkedHashMap<>();
            for (int id = 1; id <= NODES; id++) {
                int node = id;
                awaited.put(id, probes.submit(() -> await(launcher.broker(), node, processes.get(node), brokerPorts.get(node), logFiles.get(node))));
            }
            Map<Integer, BrokerProcess> nodes = new LinkedHashMap<>();
            long allListed = 0;
            for (int id = 1; id <= NODES; id++) {
                long[] times = awaited.get(id).get();
                allListed = Math.max(allListed, times[1]);
                nodes.put(id, new BrokerProcess(launcher.broker(), processes.get(id), "localhost:" + brokerPorts.get(id),
                        (times[0] - spawned.get(id)) / 1e6, logFiles.get(id)));
            }
            return new Cluster(launcher.broker(), nodes, commands, brokerPorts, prepareMillis, (allListed - lastSpawned) / 1e6);
        } catch (ExecutionException e) {
            kill(processes);
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (IOException | InterruptedException | RuntimeException e) {
            kill(processes);
            throw e;
        } finally {
            probes.shutdownNow();
        }
    }

    /** Waits for the node's first Metadata answer, then for one listing every node; returns both moments. */
    private static long[] await(Broker broker, int id, Process process, int port, Path log) throws IOException, InterruptedException {
        ReadinessProbe probe = new ReadinessProbe("localhost", port);
        if (!probe.await(process, BrokerLauncher.START_TIMEOUT, 1)) {
            throw new IOException(broker.title() + " node " + id + " did not answer Metadata; see " + log);
        }
        long answered = System.nanoTime();
        if (!probe.await(process, BrokerLauncher.START_TIMEOUT, NODES)) {
            throw new IOException(broker.title() + " node " + id + " did not list " + NODES + " brokers; see " + log);
        }
        return new long[] {answered, System.nanoTime()};
    }

    private static void kill(Map<Integer, Process> processes) throws InterruptedException {
        for (Process process : processes.values()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Milliseconds to prepare the three nodes before spawning them (Kafka: three storage formats, one after the other). */
    double prepareMillis() {
        return prepareMillis;
    }

    /** Milliseconds from spawning the last node until every node's Metadata answer listed all three brokers. */
    double readyMillis() {
        return readyMillis;
    }

    /** The slowest node's milliseconds from its spawn to its first Metadata answer. */
    double slowestNodeMillis() {
        return nodes.values().stream().mapToDouble(BrokerProcess::readyMillis).max().orElse(Double.NaN);
    }

    List<Integer> ids() {
        return List.copyOf(nodes.keySet());
    }

    /** {@code host:port,...} of the given nodes. */
    String bootstrap(List<Integer> ids) {
        return ids.stream().map(id -> nodes.get(id).bootstrap()).collect(Collectors.joining(","));
    }

    /** {@code host:port} of every node, stopped or not. */
    String bootstrap() {
        return bootstrap(ids());
    }

    /** Kills node {@code id} as {@code kill -9} does. */
    void kill(int id) throws InterruptedException {
        nodes.get(id).kill();
    }

    /** Kills every node as {@code kill -9} does: the end of a turn whose data is thrown away, without waiting for clean stops. */
    void killAll() throws InterruptedException {
        for (BrokerProcess node : nodes.values()) {
            node.kill();
        }
    }

    /** The process id of node {@code id}'s current process. */
    long pid(int id) {
        return nodes.get(id).pid();
    }

    /**
     * Starts node {@code id} again with the command and data it had (no format step), its output
     * appended to the same log, and waits until its Metadata answer lists all three brokers.
     *
     * @return milliseconds from the spawn until then
     * @throws IOException if it did not get there within {@link BrokerLauncher#START_TIMEOUT} (it is then killed)
     */
    double restart(int id) throws IOException, InterruptedException {
        BrokerProcess old = nodes.get(id);
        if (old.isAlive()) {
            throw new IllegalStateException("node " + id + " still runs");
        }
        long spawned = System.nanoTime();
        Process process = Spawn.process(commands.get(id), old.log());
        ReadinessProbe probe = new ReadinessProbe("localhost", brokerPorts.get(id));
        if (!probe.await(process, BrokerLauncher.START_TIMEOUT, NODES)) {
            process.destroyForcibly().waitFor();
            throw new IOException(broker.title() + " node " + id + " did not list " + NODES + " brokers after its restart; see " + old.log());
        }
        double millis = (System.nanoTime() - spawned) / 1e6;
        nodes.put(id, new BrokerProcess(broker, process, old.bootstrap(), millis, old.log()));
        return millis;
    }

    @Override
    public void close() throws InterruptedException {
        List<Thread> stopping = new ArrayList<>();
        for (BrokerProcess node : nodes.values()) {
            // All at once: a node stopped alone would wait for a quorum the others no longer make.
            Thread thread = new Thread(() -> {
                try {
                    node.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-" + node.pid());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            thread.join();
        }
    }
}
