package io.runnel.broker.replica;

import io.runnel.broker.partition.IsrProposal;
import io.runnel.metadata.PartitionRegistration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;

/** The way to the controller for ISR changes (Kafka's AlterPartition). Implementations never block the caller. */
@FunctionalInterface
public interface IsrChangeChannel {

    /** What the controller decided for one proposal: the committed registration, or why not. */
    record Outcome(Errors error, PartitionRegistration committed) { }

    /**
     * Sends {@code proposals} of broker {@code brokerId} at {@code brokerEpoch}; completes with one outcome
     * per proposal, in order, or exceptionally if the request as a whole failed.
     */
    CompletableFuture<List<Outcome>> alterPartition(int brokerId, long brokerEpoch, List<IsrProposal> proposals);
}
