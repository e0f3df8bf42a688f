package io.runnel.transaction;

import io.runnel.transaction.record.TransactionLogKey;
import io.runnel.transaction.record.TransactionLogValue;
import io.runnel.transaction.record.TransactionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The immutable target of a prepared change to a {@link TransactionMetadata}: what is written to
 * {@code __transaction_state}, and what the metadata becomes once the write succeeded.
 *
 * @param previousProducerId the producer id of the metadata when the change was prepared
 * @param nextProducerId     the producer id the transaction switches to at CompleteX, when the epoch
 *                           is exhausted under transaction version 2; -1 otherwise
 * @param lastProducerEpoch  not persisted: lets an InitProducerId retry be recognised (KIP-360)
 */
public record TxnTransition(
        long producerId,
        long previousProducerId,
        long nextProducerId,
        short producerEpoch,
        short lastProducerEpoch,
        int timeoutMs,
        TransactionState state,
        Set<TopicPartition> partitions,
        long startTimestampMs,
        long lastUpdateTimestampMs,
        TransactionVersion clientVersion) {

    static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public TxnTransition {
        partitions = Set.copyOf(partitions);
    }

    /** The record that persists this transition, in the value version of the finalized level. */
    TransactionRecord toRecord(String transactionalId, TransactionVersion finalizedVersion) {
        if (state == TransactionState.EMPTY && !partitions.isEmpty()) {
            throw new IllegalStateException("an Empty transaction has no partitions: " + this);
        }
        return new TransactionRecord(new TransactionLogKey(transactionalId), toLogValue(), finalizedVersion.logValueVersion());
    }

    private TransactionLogValue toLogValue() {
        return new TransactionLogValue(producerId, previousProducerId, nextProducerId, producerEpoch, (short) -1, timeoutMs,
                state.id(), state == TransactionState.EMPTY ? null : sortedPartitions(), lastUpdateTimestampMs, startTimestampMs,
                clientVersion.featureLevel());
    }

    /** Sorted so that the same transaction always gives the same bytes. */
    private List<TopicPartition> sortedPartitions() {
        List<TopicPartition> sorted = new ArrayList<>(partitions);
        sorted.sort(PARTITION_ORDER);
        return sorted;
    }
}
