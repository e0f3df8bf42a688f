package io.runnel.broker;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.RecordingReplicationContext;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.controller.ControllerConfig;
import io.runnel.metadata.node.BrokerLifecycle;
import io.runnel.metadata.node.LocalMetadataNode;
import io.runnel.storage.log.LogManager;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A broker's metadata and partitions for unit tests, without a server: a node alone with its local
 * metadata log, broker 1 registered (so the topics created lead here), and a partition registry
 * following the image, with a recording replication context. Close it after the test.
 */
public final class SingleBroker implements AutoCloseable {

    private final LocalMetadataNode node;
    private final BrokerLifecycle lifecycle;
    private final ClusterMetadata controller;
    private final LogManager logs;
    private final PartitionRegistry partitions;

    private SingleBroker(LocalMetadataNode node, BrokerLifecycle lifecycle, ClusterMetadata controller, LogManager logs,
                         PartitionRegistry partitions) {
        this.node = node;
        this.lifecycle = lifecycle;
        this.controller = controller;
        this.logs = logs;
        this.partitions = partitions;
    }

    /** Starts broker 1 with its metadata and logs under {@code dir}, its logs telling time by {@code clock}. */
    public static SingleBroker start(Path dir, Clock clock) throws Exception {
        BrokerConfig config = BrokerConfig.parse(Map.of("log.dirs", dir.resolve("logs").toString()));
        LocalMetadataNode node = LocalMetadataNode.open(dir.resolve("metadata"), 1, "cluster", 9_000, ControllerConfig.defaults());
        ClusterMetadata controller = new ClusterMetadata(node, Duration.ofSeconds(10));
        BrokerLifecycle lifecycle = new BrokerLifecycle(new BrokerLifecycle.Registration(1, Uuid.randomUuid(), Uuid.randomUuid(), "cluster",
                List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9092)), null), node.publisher(), node.controller(), 1_000);
        lifecycle.start(10_000).get();
        LogManager logs = LogManager.open(List.of(dir.resolve("logs")), clock);
        RecordingReplicationContext replication = new RecordingReplicationContext(30_000);
        PartitionRegistry partitions = new PartitionRegistry(1, logs, new TopicConfigs(config), replication, replication);
        controller.addListener(partitions);
        return new SingleBroker(node, lifecycle, controller, logs, partitions);
    }

    public ClusterMetadata controller() {
        return controller;
    }

    public PartitionRegistry partitions() {
        return partitions;
    }

    @Override
    public void close() throws Exception {
        logs.close();
        lifecycle.close();
        node.close();
    }
}
