package io.runnel.broker;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.ProcessRole;
import io.runnel.metadata.node.MetadataNode;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that is only a controller ({@code process.roles=controller}): a voter of the metadata quorum
 * that serves no clients, as Kafka's dedicated controllers. {@link #start} returns once the quorum has
 * recorded the cluster id; {@link #close} leaves the quorum. Start and close are called by one thread.
 */
public final class ControllerNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerNode.class);

    private final MetadataNode node;

    private ControllerNode(MetadataNode node) {
        this.node = node;
    }

    /** True if {@code config} asks for a controller and no broker. */
    public static boolean isControllerOnly(BrokerConfig config) {
        return config.processRoles().contains(ProcessRole.CONTROLLER) && !config.processRoles().contains(ProcessRole.BROKER);
    }

    /** Starts the voter and waits until the quorum has a cluster id, which it checks against its data directories'. */
    public static ControllerNode start(BrokerConfig config) throws IOException {
        long startNanos = System.nanoTime();
        config.unknownKeys().keySet().forEach(key -> log.warn("Ignoring unknown configuration {}", key));
        MetaProperties stored = MetaProperties.load(config.logDirs(), config.nodeId());
        MetadataNode node = MetadataNodes.start(config, stored.clusterId().orElseGet(() -> Uuid.randomUuid().toString()));
        try {
            MetaProperties meta = stored.store(config.logDirs(), MetadataNodes.awaitClusterId(node, config));
            log.info("Runnel controller started in {} ms: node {} of cluster {}, quorum {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    config.nodeId(), meta.clusterId().orElseThrow(), config.quorumVoters());
            return new ControllerNode(node);
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    @Override
    public void close() {
        node.close();
        log.info("Runnel controller stopped");
    }
}
