package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.txn.TxnPartitionVerifier;
import io.runnel.coordinator.runtime.CoordinatorKeys;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.metadata.MetadataImage;
import io.runnel.storage.producer.VerificationGuard;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.record.internal.RecordBatch;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit (v0–5): a transactional producer's consumed offsets, written by the group
 * coordinator in the producer's transaction and pending until its marker. Served with the other
 * transaction APIs only ({@code runnel.transactions.enable}).
 *
 * <p>With {@code transaction.partition.verification.enable}, the group's {@code __consumer_offsets}
 * partition is first checked with the transaction coordinator, unless the producer already has a
 * transaction open there, and the write carries the guard (Kafka's
 * {@code CoordinatorPartitionWriter.maybeStartTransactionVerification}): up to v4 it must be in the
 * transaction (AddOffsetsToTxn added it); v5, sent under the second transaction protocol, adds it.
 */
public final class TxnOffsetCommitHandler implements ApiHandler {

    /** The first version whose clients (2.3 on, KAFKA-7296) retry COORDINATOR_LOAD_IN_PROGRESS. */
    private static final short FIRST_VERSION_WITH_LOAD_IN_PROGRESS = 2;

    private final GroupCoordinatorRuntime groups;
    private final PartitionRegistry partitions;
    private final Supplier<MetadataImage> image;
    private final TxnPartitionVerifier verifier;

    /** @param verifier the partition verification, or null when {@code transaction.partition.verification.enable} is off */
    public TxnOffsetCommitHandler(GroupCoordinatorRuntime groups, PartitionRegistry partitions, Supplier<MetadataImage> image,
                                  TxnPartitionVerifier verifier) {
        this.groups = groups;
        this.partitions = partitions;
        this.image = image;
        this.verifier = verifier;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        TxnOffsetCommitRequestData body = (TxnOffsetCommitRequestData) request.body();
        short version = request.apiVersion();
        Optional<Partition> offsetsPartition = verifier == null ? Optional.empty() : offsetsPartitionOf(body.groupId());
        VerificationGuard guard = offsetsPartition
                .map(partition -> partition.log().startVerification(body.producerId(), RecordBatch.NO_SEQUENCE, body.producerEpoch(), false))
                .orElse(VerificationGuard.NONE);
        if (guard == VerificationGuard.NONE) {
            return commit(request, body, guard);
        }
        TopicPartition topicPartition = offsetsPartition.get().topicPartition();
        TxnPartitionVerifier.Operation operation = version >= 5 ? TxnPartitionVerifier.Operation.ADD_PARTITION
                : version == 4 ? TxnPartitionVerifier.Operation.GENERIC_ERROR : TxnPartitionVerifier.Operation.DEFAULT_ERROR;
        return verifier.verify(body.transactionalId(), body.producerId(), body.producerEpoch(), List.of(topicPartition), operation)
                .thenCompose(unverified -> unverified.isEmpty()
                        ? commit(request, body, guard)
                        : CompletableFuture.completedFuture(refused(body, unverified.get(topicPartition), version)));
    }

    private CompletableFuture<ApiMessage> commit(KafkaRequest request, TxnOffsetCommitRequestData body, VerificationGuard guard) {
        TransactionalWrite write = new TransactionalWrite(body.producerId(), body.producerEpoch(), guard);
        return groups.call(coordinator -> coordinator.txnOffsetCommit(GroupRequests.context(request), body, write))
                .thenApply(response -> forVersion(response, request.apiVersion()));
    }

    /** The group's {@code __consumer_offsets} partition, when this broker leads it. */
    private Optional<Partition> offsetsPartitionOf(String groupId) {
        return image.get().topic(Topic.GROUP_METADATA_TOPIC_NAME)
                .map(topic -> new TopicPartition(topic.name(), CoordinatorKeys.partitionFor(groupId, topic.partitionCount())))
                .flatMap(partitions::partition).filter(Partition::leader);
    }

    /**
     * Every partition of the request answered with the verification's error; one that may pass is
     * answered COORDINATOR_NOT_AVAILABLE, which the client retries (Kafka's group coordinator maps
     * the produce path's NOT_ENOUGH_REPLICAS and REQUEST_TIMED_OUT that way).
     */
    private static ApiMessage refused(TxnOffsetCommitRequestData body, Errors verificationError, short version) {
        Errors error = switch (verificationError) {
            case NETWORK_EXCEPTION, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
            default -> verificationError;
        };
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        body.topics().forEach(topic -> {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic answered = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic()
                    .setName(topic.name());
            topic.partitions().forEach(partition -> answered.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                    .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code())));
            response.topics().add(answered);
        });
        return forVersion(response, version);
    }

    /**
     * As Kafka's {@code KafkaApis}: clients of v0 and v1 (0.11 to 2.0) could crash on
     * COORDINATOR_LOAD_IN_PROGRESS, so they get COORDINATOR_NOT_AVAILABLE instead.
     */
    static ApiMessage forVersion(TxnOffsetCommitResponseData response, short version) {
        if (version < FIRST_VERSION_WITH_LOAD_IN_PROGRESS) {
            response.topics().forEach(topic -> topic.partitions().forEach(partition -> {
                if (partition.errorCode() == Errors.COORDINATOR_LOAD_IN_PROGRESS.code()) {
                    partition.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                }
            }));
        }
        return response;
    }
}
