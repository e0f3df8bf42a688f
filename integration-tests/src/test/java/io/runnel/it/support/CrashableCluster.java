package io.runnel.it.support;

import io.runnel.testkit.BrokerProcessCluster;
import io.runnel.testkit.link.NodeLinks;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Broker processes on one machine whose connections to each other pass through {@link NodeLinks}, for a fault
 * test that kills nodes with SIGKILL and cuts links: Runnel's ({@link BrokerProcessCluster#startWithLinks}), or,
 * with {@code -Drunnel.it.reference.kafka-libs=<directory of Apache Kafka's jars>}, Apache Kafka nodes on the same
 * layout ({@link ReferenceKafkaCluster}), so that the test can be run against Kafka too.
 */
public interface CrashableCluster extends AutoCloseable {

    /** Starts {@code nodes} linked nodes (the first three vote) with {@code config} over the layout's, and waits until each serves. */
    static CrashableCluster startWithLinks(Path baseDir, int nodes, Map<String, String> config) {
        if (CrashableBroker.REFERENCE_LIBS != null) {
            return ReferenceKafkaCluster.startWithLinks(Path.of(CrashableBroker.REFERENCE_LIBS), baseDir, nodes, config);
        }
        BrokerProcessCluster runnel = BrokerProcessCluster.startWithLinks(baseDir, nodes, config);
        return new CrashableCluster() {
            @Override
            public String bootstrapServers() {
                return runnel.bootstrapServers();
            }

            @Override
            public Set<Integer> nodeIds() {
                return runnel.nodeIds();
            }

            @Override
            public NodeLinks links() {
                return runnel.links();
            }

            @Override
            public void kill(int nodeId) {
                runnel.kill(nodeId);
            }

            @Override
            public void restart(int nodeId) {
                runnel.restart(nodeId);
            }

            @Override
            public void close() {
                runnel.close();
            }

            @Override
            public String toString() {
                return runnel.toString();
            }
        };
    }

    /** Every node's client address, running or not. */
    String bootstrapServers();

    Set<Integer> nodeIds();

    /** The links between the nodes, to cut and heal. */
    NodeLinks links();

    /** SIGKILL, and waits until the process is gone. */
    void kill(int nodeId);

    /** Starts a killed node again on its ports and data directory (a running one is stopped first), and waits until it serves. */
    void restart(int nodeId);

    /** Stops every running node and the links. */
    @Override
    void close();
}
