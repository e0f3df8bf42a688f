package io.runnel.broker.handler;

import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.txn.TxnPartitionVerifier;
import io.runnel.storage.producer.VerificationGuard;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Before a transactional produce is appended, the partitions where it would open a transaction are
 * checked with the transaction coordinator (KIP-890; Kafka's {@code ReplicaManager.handleProduceAppend}):
 * each gets the {@link VerificationGuard} its append must carry, or the error it is answered with.
 * Partitions where the producer already has a transaction open need no check.
 */
public final class ProduceVerification {

    /** What the produce path needs: the guard of each verified partition, and the refusals. */
    record Outcome(Map<TopicPartition, VerificationGuard> guards, Map<TopicPartition, RefusedPartition> refused) {

        static final Outcome NOTHING_TO_VERIFY = new Outcome(Map.of(), Map.of());

        VerificationGuard guardOf(TopicPartition partition) {
            return guards.getOrDefault(partition, VerificationGuard.NONE);
        }
    }

    /** A partition refused before its append: Kafka's error and message. */
    record RefusedPartition(Errors error, String message) {
    }

    private record Producer(long id, short epoch) {
    }

    private final PartitionRegistry partitions;
    private final TxnPartitionVerifier verifier;

    public ProduceVerification(PartitionRegistry partitions, TxnPartitionVerifier verifier) {
        this.partitions = partitions;
        this.verifier = verifier;
    }

    /**
     * Starts the verification of the request's transactional partitions led here.
     *
     * @param topicName the name of a request topic (by id from v13), if known
     */
    CompletableFuture<Outcome> verify(ProduceRequestData data, short version, Function<TopicProduceData, Optional<String>> topicName) {
        Map<TopicPartition, Integer> firstSequences = new HashMap<>();
        Producer producer = null;
        for (TopicProduceData topic : data.topicData()) {
            Optional<String> name = topicName.apply(topic);
            for (PartitionProduceData partition : topic.partitionData()) {
                RecordBatch first = firstTransactionalBatch(partition);
                if (first == null || name.isEmpty()) {
                    continue;
                }
                Producer batchProducer = new Producer(first.producerId(), first.producerEpoch());
                if (producer != null && !producer.equals(batchProducer)) {
                    return CompletableFuture.failedFuture(new InvalidPidMappingException(
                            "Transactional records contained more than one producer ID"));
                }
                producer = batchProducer;
                firstSequences.put(new TopicPartition(name.get(), partition.index()), first.baseSequence());
            }
        }
        if (producer == null) {
            return CompletableFuture.completedFuture(Outcome.NOTHING_TO_VERIFY);
        }
        Map<TopicPartition, VerificationGuard> guards = new HashMap<>();
        Map<TopicPartition, RefusedPartition> notLedHere = new HashMap<>();
        startVerifications(firstSequences, producer, version >= 12, guards, notLedHere);
        if (guards.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(Map.of(), notLedHere));
        }
        return verifier.verify(data.transactionalId(), producer.id(), producer.epoch(), guards.keySet(), operation(version))
                .thenApply(unverified -> outcome(guards, notLedHere, unverified));
    }

    /**
     * Collects the guards of the partitions led here where the producer has no transaction open yet.
     * A partition not led here when its verification would start is refused as Kafka refuses it, even
     * if it becomes this broker's before the append: a batch that skipped verification must not open a
     * transaction (a partition created just now is in the metadata clients read a moment before its log
     * is open here).
     */
    private void startVerifications(Map<TopicPartition, Integer> firstSequences, Producer producer, boolean supportsEpochBump,
                                    Map<TopicPartition, VerificationGuard> guards, Map<TopicPartition, RefusedPartition> notLedHere) {
        firstSequences.forEach((topicPartition, sequence) -> {
            Optional<Partition> partition = partitions.partition(topicPartition).filter(Partition::leader);
            if (partition.isEmpty()) {
                Errors error = partitions.absentPartitionError(topicPartition);
                notLedHere.put(topicPartition, new RefusedPartition(error, error.message()));
                return;
            }
            VerificationGuard guard = partition.get().log().startVerification(producer.id(), sequence, producer.epoch(), supportsEpochBump);
            if (guard != VerificationGuard.NONE) {
                guards.put(topicPartition, guard);
            }
        });
    }

    private static Outcome outcome(Map<TopicPartition, VerificationGuard> guards, Map<TopicPartition, RefusedPartition> notLedHere,
                                   Map<TopicPartition, Errors> unverified) {
        Map<TopicPartition, RefusedPartition> refused = new HashMap<>(notLedHere);
        unverified.forEach((partition, error) -> refused.put(partition, refusal(error)));
        return new Outcome(guards, refused);
    }

    /**
     * The coordinator's answer as the producer sees it (Kafka's {@code postVerificationCallback}):
     * answers that may pass become NOT_ENOUGH_REPLICAS, which every client retries without a metadata refresh.
     */
    static RefusedPartition refusal(Errors error) {
        return switch (error) {
            case INVALID_TXN_STATE -> new RefusedPartition(error, "Partition was not added to the transaction");
            case CONCURRENT_TRANSACTIONS, NETWORK_EXCEPTION, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR ->
                    new RefusedPartition(Errors.NOT_ENOUGH_REPLICAS,
                            "Unable to verify the partition has been added to the transaction. Underlying error: " + error);
            default -> new RefusedPartition(error, error.message());
        };
    }

    /** What the request's version can take back (Kafka's {@code TransactionSupportedOperation}). */
    private static TxnPartitionVerifier.Operation operation(short version) {
        if (version >= 12) {
            return TxnPartitionVerifier.Operation.ADD_PARTITION;
        }
        return version == 11 ? TxnPartitionVerifier.Operation.GENERIC_ERROR : TxnPartitionVerifier.Operation.DEFAULT_ERROR;
    }

    private static RecordBatch firstTransactionalBatch(PartitionProduceData partition) {
        if (!(partition.records() instanceof MemoryRecords records)) {
            return null;
        }
        try {
            for (RecordBatch batch : records.batches()) {
                if (batch.hasProducerId() && batch.isTransactional()) {
                    return batch;
                }
            }
        } catch (RuntimeException unreadable) {
            // The log refuses malformed batches with the right error when it validates them.
        }
        return null;
    }
}
