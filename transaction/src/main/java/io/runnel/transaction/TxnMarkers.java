package io.runnel.transaction;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The markers to write once a PrepareCommit or PrepareAbort is written: one per partition of the
 * transaction, with the transaction's producer id and epoch. Each written marker is reported back
 * with {@link TransactionCoordinator#onMarkerWritten}; when {@code partitions} is empty (an abort with
 * no partition) the caller asks for the completion at once with
 * {@link TransactionCoordinator#writeCompletion}.
 *
 * @param coordinatorEpoch the leader epoch of the {@code __transaction_state} partition; partition
 *                         leaders refuse markers of an older coordinator
 * @param clientVersion    the transaction version of the transaction (WriteTxnMarkers v2 carries it)
 */
public record TxnMarkers(String transactionalId, int coordinatorEpoch, boolean commit, long producerId, short producerEpoch,
        Set<TopicPartition> partitions, TransactionVersion clientVersion) {

    public TxnMarkers {
        partitions = Set.copyOf(partitions);
    }
}
