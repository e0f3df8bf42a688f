package io.runnel.broker.txn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Partitions of one transaction waiting for its coordinator to say they are in it (or to add them).
 * {@code unverified} completes with the partitions that failed, and why; empty when all passed.
 */
record PendingVerification(String transactionalId, long producerId, short producerEpoch, List<TopicPartition> partitions,
                           TxnPartitionVerifier.Operation operation, CompletableFuture<Map<TopicPartition, Errors>> unverified) {

    /** Settles every partition with {@code error}. */
    void failAll(Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        partitions.forEach(partition -> errors.put(partition, error));
        unverified.complete(errors);
    }
}
