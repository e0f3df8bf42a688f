package io.runnel.testkit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * What a test cluster of the testkit tells about its layout, in one JVM ({@link EmbeddedCluster}) or
 * in broker processes ({@link BrokerProcessCluster}): node ids 1..N, the first three (or all, if
 * fewer) voters of the metadata quorum, each node on its own ports and data directory.
 */
public abstract class NodeCluster {

    final ClusterLayout layout;

    NodeCluster(ClusterLayout layout) {
        this.layout = layout;
    }

    /** The {@code bootstrap.servers} value for clients: every node's address, running or not. */
    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    /** The {@code bootstrap.servers} value of one node alone. */
    public String bootstrapServers(int nodeId) {
        return layout.bootstrapServers(nodeId);
    }

    /** The node ids, 1..N. */
    public Set<Integer> nodeIds() {
        return layout.nodeIds();
    }

    /** The node ids of the metadata quorum's voters. */
    public Set<Integer> voterIds() {
        return layout.voterIds();
    }

    /** The data directory of a node. */
    public Path dataDir(int nodeId) {
        return layout.dataDir(nodeId);
    }

    /** The configuration node {@code nodeId} starts with: what a recipe writes in its server.properties. */
    public Map<String, String> config(int nodeId) {
        return layout.config(nodeId);
    }
}
