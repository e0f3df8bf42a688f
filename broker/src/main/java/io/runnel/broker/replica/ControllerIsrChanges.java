package io.runnel.broker.replica;

import io.runnel.broker.partition.IsrProposal;
import io.runnel.metadata.ClusterMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** ISR changes carried out by the active controller (AlterPartition). */
public final class ControllerIsrChanges implements IsrChangeChannel {

    private final ClusterMetadata metadata;

    public ControllerIsrChanges(ClusterMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public CompletableFuture<List<Outcome>> alterPartition(int brokerId, long brokerEpoch, List<IsrProposal> proposals) {
        return CompletableFuture.failedFuture(new UnsupportedVersionException("AlterPartition is not wired yet " + metadata));
    }
}
