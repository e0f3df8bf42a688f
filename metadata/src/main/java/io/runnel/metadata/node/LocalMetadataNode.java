package io.runnel.metadata.node;

import io.runnel.metadata.LocalMetadataLog;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataPublisher;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.controller.ActiveController;
import io.runnel.metadata.controller.ControllerChannel;
import io.runnel.metadata.controller.ControllerConfig;
import io.runnel.metadata.quorum.QuorumStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node alone: a cluster of one whose metadata log is a local file. It runs the same controller and
 * replays the same records as a quorum does, without an election on the start-up path (a one-peer
 * Ratis group takes far longer to commit its first entry than a local fsync; docs/architecture.md).
 * Thread-safe.
 */
public final class LocalMetadataNode implements MetadataNode {

    private static final Logger log = LoggerFactory.getLogger(LocalMetadataNode.class);
    /** A node alone never holds an election: its one leader's epoch. */
    private static final long LOCAL_EPOCH = 1;

    private final int nodeId;
    private final LocalMetadataLog metadataLog;
    private final MetadataPublisher publisher;
    private final ActiveController controller;
    private long offset;

    private LocalMetadataNode(int nodeId, LocalMetadataLog metadataLog, MetadataPublisher publisher, long offset, long sessionTimeoutMs,
                              String clusterId, ControllerConfig controllerConfig) {
        this.nodeId = nodeId;
        this.metadataLog = metadataLog;
        this.publisher = publisher;
        this.offset = offset;
        this.controller = new ActiveController(nodeId, publisher, this::append, System::currentTimeMillis, sessionTimeoutMs, 30_000, clusterId,
                controllerConfig);
    }

    /**
     * Opens the metadata log in {@code dir}, replays it, and starts the controller, which falls back to
     * {@code controllerConfig} where the metadata sets no value; a log without a cluster id records {@code clusterId}.
     */
    public static LocalMetadataNode open(Path dir, int nodeId, String clusterId, long sessionTimeoutMs, ControllerConfig controllerConfig)
            throws IOException {
        LocalMetadataLog metadataLog = LocalMetadataLog.open(dir, nodeId);
        long offset = metadataLog.recoveredEntries();
        MetadataPublisher publisher = new MetadataPublisher(MetadataImage.EMPTY.apply(metadataLog.recoveredRecords(), offset));
        return new LocalMetadataNode(nodeId, metadataLog, publisher, offset, sessionTimeoutMs, clusterId, controllerConfig);
    }

    private synchronized CompletableFuture<Long> append(List<MetadataRecord> records) {
        try {
            metadataLog.append(records);
        } catch (IOException e) {
            log.error("Metadata log append failed", e);
            return CompletableFuture.failedFuture(e);
        }
        offset++;
        publisher.publish(records, offset);
        return CompletableFuture.completedFuture(offset);
    }

    @Override
    public MetadataPublisher publisher() {
        return publisher;
    }

    @Override
    public ControllerChannel controller() {
        return controller;
    }

    @Override
    public OptionalInt activeControllerId() {
        return OptionalInt.of(nodeId);
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    /**
     * As Kafka's single-node KRaft answers: this node is the only voter and the leader, in epoch 1, and its
     * log end and high watermark are the local metadata offset.
     */
    @Override
    public CompletableFuture<QuorumStatus> quorumStatus() {
        long committed = publisher.image().offset();
        long now = System.currentTimeMillis();
        return CompletableFuture.completedFuture(new QuorumStatus(nodeId, LOCAL_EPOCH, committed,
                List.of(new QuorumStatus.VoterStatus(nodeId, committed, now, now)), List.of()));
    }

    @Override
    public OptionalLong committedOffset() {
        return OptionalLong.of(publisher.image().offset());
    }

    @Override
    public void close() {
        controller.close();
        publisher.close();
        try {
            synchronized (this) {
                metadataLog.close();
            }
        } catch (IOException e) {
            log.warn("Closing the metadata log: {}", e.toString());
        }
    }
}
