package io.runnel.broker.handler;

import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.txn.TxnPartitionVerifier;
import io.runnel.protocol.RequestRecords;
import io.runnel.storage.producer.VerificationGuard;
import java.nio.ByteBuffer;
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
     * Starts the verification of the request's transactional partitions led here. Reads batch headers
     * in place and allocates maps only for partitions that need the coordinator: every transactional
     * produce request passes here, and all but the first of a transaction per partition need nothing.
     *
     * @param topicName the name of a request topic (by id from v13), if known
     */
    CompletableFuture<Outcome> verify(ProduceRequestData data, short version, Function<TopicProduceData, Optional<String>> topicName) {
        Producer producer = null;
        for (TopicProduceData topic : data.topicData()) {
            if (topicName.apply(topic).isEmpty()) {
                continue;
            }
            for (PartitionProduceData partition : topic.partitionData()) {
                ByteBuffer batches = batchesOf(partition);
                int first = batches == null ? RequestRecords.NO_BATCH : RequestRecords.firstTransactionalBatchWithProducerId(batches);
                if (first == RequestRecords.NO_BATCH) {
                    continue;
                }
                long producerId = RequestRecords.producerId(batches, first);
                short epoch = RequestRecords.producerEpoch(batches, first);
                if (producer == null) {
                    producer = new Producer(producerId, epoch);
                } else if (producer.id() != producerId || producer.epoch() != epoch) {
                    return CompletableFuture.failedFuture(new InvalidPidMappingException(
                            "Transactional records contained more than one producer ID"));
                }
            }
        }
        if (producer == null) {
            return CompletableFuture.completedFuture(Outcome.NOTHING_TO_VERIFY);
        }
        Verifications started = startVerifications(data, producer, version >= 12, topicName);
        if (started.guards.isEmpty()) {
            return CompletableFuture.completedFuture(started.notLedHere.isEmpty() ? Outcome.NOTHING_TO_VERIFY : new Outcome(Map.of(), started.notLedHere));
        }
        return verifier.verify(data.transactionalId(), producer.id(), producer.epoch(), started.guards.keySet(), operation(version))
                .thenApply(unverified -> outcome(started.guards, started.notLedHere, unverified));
    }

    /** The guards of the partitions to verify and the partitions refused at once; each map made only when it gets an entry. */
    private static final class Verifications {
        private Map<TopicPartition, VerificationGuard> guards = Map.of();
        private Map<TopicPartition, RefusedPartition> notLedHere = Map.of();

        void guard(TopicPartition partition, VerificationGuard guard) {
            if (guards.isEmpty()) {
                guards = new HashMap<>();
            }
            guards.put(partition, guard);
        }

        void refuse(TopicPartition partition, RefusedPartition refusal) {
            if (notLedHere.isEmpty()) {
                notLedHere = new HashMap<>();
            }
            notLedHere.put(partition, refusal);
        }
    }

    /**
     * Collects the guards of the partitions led here where the producer has no transaction open yet.
     * A partition not led here when its verification would start is refused as Kafka refuses it, even
     * if it becomes this broker's before the append: a batch that skipped verification must not open a
     * transaction (a partition created just now is in the metadata clients read a moment before its log
     * is open here).
     */
    private Verifications startVerifications(ProduceRequestData data, Producer producer, boolean supportsEpochBump,
                                             Function<TopicProduceData, Optional<String>> topicName) {
        Verifications started = new Verifications();
        for (TopicProduceData topic : data.topicData()) {
            Optional<String> name = topicName.apply(topic);
            if (name.isEmpty()) {
                continue;
            }
            for (PartitionProduceData partitionData : topic.partitionData()) {
                ByteBuffer batches = batchesOf(partitionData);
                int first = batches == null ? RequestRecords.NO_BATCH : RequestRecords.firstTransactionalBatchWithProducerId(batches);
                if (first != RequestRecords.NO_BATCH) {
                    startVerification(new TopicPartition(name.get(), partitionData.index()), RequestRecords.baseSequence(batches, first),
                            producer, supportsEpochBump, started);
                }
            }
        }
        return started;
    }

    private void startVerification(TopicPartition topicPartition, int sequence, Producer producer, boolean supportsEpochBump, Verifications started) {
        Optional<Partition> partition = partitions.partition(topicPartition).filter(Partition::leader);
        if (partition.isEmpty()) {
            Errors error = partitions.absentPartitionError(topicPartition);
            started.refuse(topicPartition, new RefusedPartition(error, error.message()));
            return;
        }
        VerificationGuard guard = partition.get().log().startVerification(producer.id(), sequence, producer.epoch(), supportsEpochBump);
        if (guard != VerificationGuard.NONE) {
            started.guard(topicPartition, guard);
        }
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

    /** The partition's batches as a view over the request, or null if it carried none. */
    private static ByteBuffer batchesOf(PartitionProduceData partition) {
        return partition.records() instanceof MemoryRecords records ? records.buffer() : null;
    }
}
