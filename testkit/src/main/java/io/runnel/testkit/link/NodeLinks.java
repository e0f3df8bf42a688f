package io.runnel.testkit.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The network between the nodes of a test cluster on one machine, with links a test can cut: every
 * connection from node {@code a} to node {@code b} passes through a {@link LinkProxy} of its own, so
 * {@link #isolate(int)} can cut one node off from the others in both directions while clients still reach
 * every node.
 *
 * <p>How a proxy knows which node connects: nodes name each other by host name ({@link #hostName(int)},
 * e.g. {@code runnel-node-2}) in {@code controller.quorum.voters} and in the advertised inter-broker listener,
 * and each node's JVM resolves those names through a hosts file of its own ({@code -Djdk.net.hosts.file}).
 * Node {@code a} resolves {@code runnel-node-b} to {@code 127.77.a.b}, where the proxy of link a→b listens
 * on node b's port and forwards to {@code 127.77.b.b}, where node b itself listens. All of 127.0.0.0/8 is
 * loopback on Linux, so no privilege is needed. The names must be the same strings on every node because
 * the metadata quorum replicates its peers' addresses and brokers advertise theirs through metadata; only
 * their resolution differs.
 *
 * <p>Nodes are numbered 1..254. Thread-safe for cutting and healing; create and close it from one thread.
 */
public final class NodeLinks implements AutoCloseable {

    /** The second octet of every address used: 127.77.x.y. */
    private static final int NETWORK = 77;

    private final Path hostsDir;
    private final Map<Integer, List<Integer>> ports;
    /** from → to → proxies (one per port of the target). */
    private final Map<Integer, Map<Integer, List<LinkProxy>>> links = new TreeMap<>();

    private NodeLinks(Path hostsDir, Map<Integer, List<Integer>> ports) {
        this.hostsDir = hostsDir;
        this.ports = ports;
    }

    /**
     * Writes each node's hosts file into {@code hostsDir} and starts the proxies of every link.
     *
     * @param hostsDir where the hosts files go ({@code node-<id>.hosts})
     * @param ports    node id to the ports other nodes connect to on it (its inter-broker listener first, then
     *                 its controller listener if it is a voter), which it binds on {@link #hostName(int)}
     */
    public static NodeLinks start(Path hostsDir, Map<Integer, List<Integer>> ports) {
        NodeLinks network = new NodeLinks(hostsDir, Map.copyOf(ports));
        try {
            for (int from : ports.keySet()) {
                network.writeHostsFile(from);
                for (Map.Entry<Integer, List<Integer>> to : ports.entrySet()) {
                    if (to.getKey() != from) {
                        List<LinkProxy> proxies = new ArrayList<>();
                        for (int port : to.getValue()) {
                            proxies.add(LinkProxy.start(from + "->" + to.getKey() + ":" + port, new InetSocketAddress(address(from, to.getKey()), port),
                                    new InetSocketAddress(address(to.getKey(), to.getKey()), port)));
                        }
                        network.links.computeIfAbsent(from, f -> new TreeMap<>()).put(to.getKey(), proxies);
                    }
                }
            }
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** The host name by which every node knows node {@code nodeId}. */
    public static String hostName(int nodeId) {
        return "runnel-node-" + nodeId;
    }

    /** The hosts file node {@code nodeId}'s JVM resolves names with. */
    public Path hostsFile(int nodeId) {
        return hostsDir.resolve("node-" + nodeId + ".hosts");
    }

    /** The JVM option that makes node {@code nodeId} resolve names through its hosts file. */
    public String jvmOption(int nodeId) {
        return "-Djdk.net.hosts.file=" + hostsFile(nodeId).toAbsolutePath();
    }

    /** Cuts every link between {@code nodeId} and the other nodes, both ways. */
    public void isolate(int nodeId) {
        forEachLinkOf(nodeId, LinkProxy::cut);
    }

    /** Heals every link between {@code nodeId} and the other nodes. */
    public void heal(int nodeId) {
        forEachLinkOf(nodeId, LinkProxy::heal);
    }

    /** Cuts the connections node {@code from} opens to node {@code to} (not those {@code to} opens to {@code from}). */
    public void cut(int from, int to) {
        proxies(from, to).forEach(LinkProxy::cut);
    }

    /**
     * Cuts the connections node {@code from} opens to node {@code to}'s inter-broker listener (the first of its
     * ports given to {@link #start}), not those to its controller listener: {@code from} still heartbeats, so
     * the controller does not fence it, but its replica fetches and requests to {@code to}'s broker hang.
     */
    public void cutInterBroker(int from, int to) {
        proxies(from, to).get(0).cut();
    }

    /** Heals what {@link #cut(int, int)} or {@link #cutInterBroker(int, int)} cut. */
    public void heal(int from, int to) {
        proxies(from, to).forEach(LinkProxy::heal);
    }

    /** Heals every link. */
    public void healAll() {
        links.values().forEach(targets -> targets.values().forEach(proxies -> proxies.forEach(LinkProxy::heal)));
    }

    /** Connections open now from node {@code from} to node {@code to}, over all of {@code to}'s ports. */
    public int openConnections(int from, int to) {
        return proxies(from, to).stream().mapToInt(LinkProxy::openConnections).sum();
    }

    /** Whether any link of {@code nodeId} is cut. */
    public boolean isCut(int nodeId) {
        boolean[] cut = {false};
        forEachLinkOf(nodeId, proxy -> cut[0] |= proxy.isCut());
        return cut[0];
    }

    /** The node ids whose links are all cut (isolated nodes). */
    public Set<Integer> isolated() {
        Set<Integer> isolated = new java.util.TreeSet<>();
        for (int node : ports.keySet()) {
            boolean[] all = {true};
            forEachLinkOf(node, proxy -> all[0] &= proxy.isCut());
            if (all[0] && ports.size() > 1) {
                isolated.add(node);
            }
        }
        return isolated;
    }

    /** Stops every proxy. */
    @Override
    public void close() {
        links.values().forEach(targets -> targets.values().forEach(proxies -> proxies.forEach(LinkProxy::close)));
    }

    private List<LinkProxy> proxies(int from, int to) {
        List<LinkProxy> proxies = links.getOrDefault(from, Map.of()).get(to);
        if (proxies == null) {
            throw new IllegalArgumentException("no link " + from + " -> " + to + " among nodes " + ports.keySet());
        }
        return proxies;
    }

    private void forEachLinkOf(int nodeId, java.util.function.Consumer<LinkProxy> action) {
        if (!ports.containsKey(nodeId)) {
            throw new IllegalArgumentException("no node " + nodeId + " among " + ports.keySet());
        }
        for (int other : ports.keySet()) {
            if (other != nodeId) {
                proxies(nodeId, other).forEach(action);
                proxies(other, nodeId).forEach(action);
            }
        }
    }

    /** 127.77.from.to: where node {@code from} reaches node {@code to}; 127.77.n.n is node n itself. */
    static String address(int from, int to) {
        if (from < 1 || from > 254 || to < 1 || to > 254) {
            throw new IllegalArgumentException("node ids must be 1..254: " + from + ", " + to);
        }
        return "127." + NETWORK + "." + from + "." + to;
    }

    private void writeHostsFile(int nodeId) {
        StringBuilder hosts = new StringBuilder("# names as node ").append(nodeId).append(" resolves them (NodeLinks)\n")
                .append("127.0.0.1 localhost\n");
        String machine = machineName();
        if (machine != null && !machine.equals("localhost")) {
            hosts.append("127.0.0.1 ").append(machine).append('\n');
        }
        for (int other : ports.keySet()) {
            hosts.append(address(nodeId, other)).append(' ').append(hostName(other)).append('\n');
        }
        try {
            Files.createDirectories(hostsDir);
            Files.writeString(hostsFile(nodeId), hosts);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + hostsFile(nodeId), e);
        }
    }

    /** This machine's name, which code in the broker JVM may look up (InetAddress.getLocalHost). */
    private static String machineName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }
}
