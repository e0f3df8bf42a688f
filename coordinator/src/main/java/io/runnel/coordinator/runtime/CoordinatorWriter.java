package io.runnel.coordinator.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Appends a coordinator's records to its internal topic. Appending and waiting for replication are
 * two steps, so a state machine chooses when to apply a change: at once, answering only once
 * replicated (the group coordinator), or only once replicated (Kafka's transaction coordinator).
 * {@link #append} is called on the coordinator thread; {@link #awaitReplicated} from any thread.
 */
public interface CoordinatorWriter {

    /**
     * Appends {@code records}, at least one, as one batch to {@code partition} of the internal topic,
     * as its leader; returns once they are in the leader's log.
     *
     * @throws CoordinatorWriteException if they could not be appended; none of them then is in the log
     */
    Appended append(int partition, List<CoordinatorRecord> records);

    /**
     * Appends {@code records}, at least one, as one transactional batch of {@code write}'s producer
     * (base sequence 0, as Kafka's coordinator runtime writes them): they belong to the producer's open
     * transaction until {@link #appendMarker} ends it. The log refuses a stale producer epoch
     * (INVALID_PRODUCER_EPOCH as the cause).
     *
     * @throws CoordinatorWriteException if they could not be appended; none of them then is in the log
     */
    Appended appendTransactional(int partition, TransactionalWrite write, List<CoordinatorRecord> records);

    /**
     * Appends the transaction marker (a control batch) that commits or aborts the producer's open
     * transaction on {@code partition}, as the transaction coordinator of {@code coordinatorEpoch}
     * decided. The log checks the producer epoch by the rules of {@code transactionVersion} (-1 when
     * unknown) and refuses a marker of an older coordinator epoch (TRANSACTION_COORDINATOR_FENCED).
     *
     * @throws CoordinatorWriteException if it could not be appended
     */
    Appended appendMarker(int partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                          short transactionVersion);

    /**
     * Completes once the records of {@code appended} are replicated; fails with NOT_COORDINATOR if the
     * partition's leadership moved meanwhile, COORDINATOR_NOT_AVAILABLE if too few replicas had them in
     * time (Kafka's answers for such a write). It completes on the calling thread if the records are
     * replicated already, else on a replication thread: a continuation that must run on the coordinator
     * thread is handed back to the loop.
     */
    CompletableFuture<Void> awaitReplicated(Appended appended);
}
