package io.runnel.transaction;

import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.Errors;

/**
 * Turns a prepared transition into a write, with Kafka's {@code appendTransactionToLog} semantics:
 * once written, the transition is applied only if the partition is still owned at the coordinator
 * epoch of the write (else NOT_COORDINATOR); if the write failed, the pending state is dropped, except
 * for a CompleteX that could not reach the replicas (COORDINATOR_NOT_AVAILABLE), which stays pending
 * to be written again.
 */
final class TransitionWriter {

    /** What follows the write, given the client's error (NONE when the transition was applied). */
    @FunctionalInterface
    interface Then<R> {
        CoordinatorResult.Outcome<R> after(Errors error, long nowMs);
    }

    private final TransactionCache cache;
    private final Supplier<TransactionVersion> finalizedVersion;

    TransitionWriter(TransactionCache cache, Supplier<TransactionVersion> finalizedVersion) {
        this.cache = cache;
        this.finalizedVersion = finalizedVersion;
    }

    <R> CoordinatorResult<R> write(String transactionalId, int coordinatorEpoch, TxnTransition transition, Then<R> then) {
        return CoordinatorResult.write(cache.partitionFor(transactionalId),
                List.of(transition.toRecord(transactionalId, finalizedVersion.get())), (writeError, now) -> {
                    Errors error = WriteErrors.toClientError(writeError);
                    TransactionMetadata metadata = cache.getIfOwnedAt(transactionalId, coordinatorEpoch);
                    if (metadata == null) {
                        // The partition moved meanwhile: a durable change is the new leader's to apply.
                        return then.after(error == Errors.NONE ? Errors.NOT_COORDINATOR : error, now);
                    }
                    if (error == Errors.NONE) {
                        metadata.completeTransition(transition);
                    } else if (!(error == Errors.COORDINATOR_NOT_AVAILABLE && transition.state().isComplete())) {
                        metadata.clearPending();
                    }
                    return then.after(error, now);
                });
    }
}
