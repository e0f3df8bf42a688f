package io.runnel.it.support;

import io.runnel.testkit.BrokerProcessCluster;
import io.runnel.testkit.ClusterLayout;
import io.runnel.testkit.link.NodeLinks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka nodes (KRaft) on the layout {@link BrokerProcessCluster#startWithLinks} gives Runnel's: the same
 * listeners, host names, voters and links, so a fault test's kills and cuts mean the same on both. Each node's
 * configuration is the layout's, which uses Kafka's names; the nodes share one cluster id.
 */
final class ReferenceKafkaCluster implements CrashableCluster {

    private final Path libs;
    private final ClusterLayout layout;
    private final NodeLinks links;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Map<Integer, ReferenceKafkaProcess> running = new TreeMap<>();

    private ReferenceKafkaCluster(Path libs, ClusterLayout layout, NodeLinks links) {
        this.libs = libs;
        this.layout = layout;
        this.links = links;
    }

    static ReferenceKafkaCluster startWithLinks(Path libs, Path baseDir, int nodes, Map<String, String> config) {
        ClusterLayout layout = ClusterLayout.linked(baseDir, nodes, config);
        ReferenceKafkaCluster cluster = new ReferenceKafkaCluster(libs, layout, NodeLinks.start(layout.hostsDir(), layout.interNodePorts()));
        try {
            // Launched before any is awaited: a voter serves only once a majority of voters runs.
            layout.nodeIds().forEach(cluster::launch);
            cluster.running.values().forEach(ReferenceKafkaProcess::awaitServing);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void launch(int nodeId) {
        running.put(nodeId, ReferenceKafkaProcess.launch(libs, layout.dataDir(nodeId), clusterId, layout.brokerPort(nodeId),
                layout.config(nodeId), List.of(links.jvmOption(nodeId))));
    }

    @Override
    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    @Override
    public Set<Integer> nodeIds() {
        return layout.nodeIds();
    }

    @Override
    public NodeLinks links() {
        return links;
    }

    @Override
    public void kill(int nodeId) {
        ReferenceKafkaProcess node = running.remove(nodeId);
        if (node != null) {
            node.kill();
        }
    }

    @Override
    public void restart(int nodeId) {
        ReferenceKafkaProcess node = running.remove(nodeId);
        if (node != null) {
            node.close();
        }
        launch(nodeId);
        running.get(nodeId).awaitServing();
    }

    @Override
    public void close() {
        running.values().forEach(ReferenceKafkaProcess::close);
        running.clear();
        links.close();
    }

    @Override
    public String toString() {
        return "Apache Kafka nodes[" + bootstrapServers() + ", running " + running.keySet() + "]";
    }
}
