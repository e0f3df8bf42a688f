package io.runnel.broker.partition;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.metadata.MetadataImage;
import io.runnel.storage.log.LogManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions of broker 1 over real logs in {@code dir}, placed and led as an image says (broker 1
 * must be registered in it), with replication recorded, not sent. For tests of what reads and writes
 * partitions through the registry. Close to close the logs.
 */
public final class LocalPartitions implements AutoCloseable {

    private final LogManager logs;
    private final PartitionRegistry registry;

    private LocalPartitions(LogManager logs, PartitionRegistry registry) {
        this.logs = logs;
        this.registry = registry;
    }

    /** Broker 1's partitions of {@code image}, their logs under {@code dir}. */
    public static LocalPartitions of(Path dir, MetadataImage image) throws IOException {
        LogManager logs = LogManager.open(List.of(dir.resolve("logs")), Clock.systemUTC());
        RecordingReplicationContext context = new RecordingReplicationContext(30_000);
        BrokerConfig config = BrokerConfig.parse(Map.of("log.dirs", dir.resolve("logs").toString()));
        PartitionRegistry registry = new PartitionRegistry(1, logs, new TopicConfigs(config), context, context);
        // started before its registration, so the image holding it gives this broker its leaderships
        registry.load(MetadataImage.EMPTY);
        registry.onImage(MetadataImage.EMPTY, image);
        return new LocalPartitions(logs, registry);
    }

    public PartitionRegistry registry() {
        return registry;
    }

    /** The partition, which broker 1 must lead. */
    public Partition led(TopicPartition partition) {
        return registry.partition(partition).orElseThrow(() -> new AssertionError("broker 1 does not lead " + partition));
    }

    @Override
    public void close() {
        logs.close();
    }
}
