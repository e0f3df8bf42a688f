package io.runnel.broker.replica;

import io.runnel.broker.partition.IsrProposal;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.controller.ControllerCommand;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;

/**
 * ISR changes carried out by the active controller: each batch of proposals is one AlterPartition
 * command, answered once committed and applied to this broker's metadata image.
 */
public final class ControllerIsrChanges implements IsrChangeChannel {

    private final ClusterMetadata metadata;

    public ControllerIsrChanges(ClusterMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public CompletableFuture<List<Outcome>> alterPartition(int brokerId, long brokerEpoch, List<IsrProposal> proposals) {
        List<ControllerCommand.IsrChange> changes = proposals.stream().map(ControllerIsrChanges::change).toList();
        return metadata.alterPartitionAsync(new ControllerCommand.AlterPartition(brokerId, brokerEpoch, changes))
                .thenApply(results -> results.stream()
                        .map(result -> new Outcome(Errors.forCode(result.errorCode()), result.registration()))
                        .toList());
    }

    private static ControllerCommand.IsrChange change(IsrProposal proposal) {
        List<ControllerCommand.IsrMember> members = proposal.newIsr().stream()
                .map(member -> new ControllerCommand.IsrMember(member.brokerId(), member.brokerEpoch()))
                .toList();
        return new ControllerCommand.IsrChange(proposal.topicId(), proposal.partition(), proposal.leaderEpoch(), proposal.partitionEpoch(), members);
    }
}
