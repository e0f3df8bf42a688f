package io.runnel.broker.replica;

import io.runnel.broker.partition.IsrProposal;
import io.runnel.broker.partition.Partition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the partitions' ISR changes to the controller, as Kafka's AlterPartitionManager: one request in
 * flight at a time, carrying every change queued meanwhile; each answer goes back to its partition.
 * A request that fails as a whole is a refusal of each change in it: the partitions keep their
 * committed ISR and propose again when the condition still holds. Thread-safe.
 */
final class IsrChangeSender {

    private static final Logger log = LoggerFactory.getLogger(IsrChangeSender.class);

    private record Queued(Partition partition, IsrProposal proposal) { }

    private final int brokerId;
    private final LongSupplier brokerEpoch;
    private final IsrChangeChannel channel;
    private final Executor answers;
    private final List<Queued> queued = new ArrayList<>();
    private boolean inFlight;

    /** A sender whose answers are handed to the partitions on {@code answers} (not the controller's thread). */
    IsrChangeSender(int brokerId, LongSupplier brokerEpoch, IsrChangeChannel channel, Executor answers) {
        this.answers = answers;
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
        this.channel = channel;
    }

    void send(Partition partition, IsrProposal proposal) {
        synchronized (this) {
            queued.add(new Queued(partition, proposal));
            if (inFlight) {
                return;
            }
            inFlight = true;
        }
        sendQueued();
    }

    private void sendQueued() {
        List<Queued> batch;
        synchronized (this) {
            if (queued.isEmpty()) {
                inFlight = false;
                return;
            }
            batch = new ArrayList<>(queued);
            queued.clear();
        }
        List<IsrProposal> proposals = batch.stream().map(Queued::proposal).toList();
        try {
            channel.alterPartition(brokerId, brokerEpoch.getAsLong(), proposals).whenCompleteAsync((outcomes, error) -> {
                answer(batch, outcomes, error);
                sendQueued();
            }, answers);
        } catch (RuntimeException e) {
            answer(batch, null, e);
            sendQueued();
        }
    }

    private static void answer(List<Queued> batch, List<IsrChangeChannel.Outcome> outcomes, Throwable error) {
        if (error != null || outcomes == null || outcomes.size() != batch.size()) {
            Errors code = error == null ? Errors.UNKNOWN_SERVER_ERROR : Errors.forException(unwrap(error));
            log.info("AlterPartition for {} partition(s) failed: {}", batch.size(), error == null ? "a malformed answer" : unwrap(error).toString());
            batch.forEach(queued -> queued.partition().onIsrChangeRefused(queued.proposal(), code));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Queued queued = batch.get(i);
            IsrChangeChannel.Outcome outcome = outcomes.get(i);
            if (outcome.error() == Errors.NONE && outcome.committed() != null) {
                queued.partition().onIsrChangeCommitted(queued.proposal(), outcome.committed());
            } else {
                queued.partition().onIsrChangeRefused(queued.proposal(), outcome.error());
            }
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (!(cause instanceof ApiException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
