package io.runnel.transaction.record;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The value of a {@code __transaction_state} record: the state of one transactional id as Kafka
 * persists it. Fields that exist only as tagged fields of value version 1 hold their defaults (-1, or
 * 0 for the client transaction version) when read from version 0.
 *
 * @param status            the transaction state's id (0 Empty ... 5 CompleteAbort)
 * @param partitions        the partitions in the transaction, grouped by topic in this order when
 *                          written; null (Kafka writes a null array) in state Empty
 * @param nextProducerEpoch tagged field 3: Kafka 4.3.1 neither writes nor reads it; kept so that a
 *                          value read and written again loses nothing
 */
public record TransactionLogValue(
        long producerId,
        long previousProducerId,
        long nextProducerId,
        short producerEpoch,
        short nextProducerEpoch,
        int transactionTimeoutMs,
        byte status,
        List<TopicPartition> partitions,
        long lastUpdateTimestampMs,
        long startTimestampMs,
        short clientTransactionVersion) {

    public TransactionLogValue {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }
}
