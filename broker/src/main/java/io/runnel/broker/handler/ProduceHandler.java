package io.runnel.broker.handler;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.metrics.TopicTraffic;
import io.runnel.broker.network.CloseConnectionException;
import io.runnel.broker.partition.DelayedOperation;
import io.runnel.broker.partition.Purgatory;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.RequestRecords;
import io.runnel.storage.log.AppendResult;
import io.runnel.storage.log.KeylessRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.TxnMarker;
import io.runnel.storage.producer.VerificationGuard;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ProduceResponse.RecordError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce: each partition's batches validated and appended by its log (offsets assigned in place, the
 * bytes written as the producer sent them), then the partition wakes waiting fetches. A partition led by another
 * broker answers NOT_LEADER_OR_FOLLOWER with the current leader (KIP-951). acks=1 is answered once
 * the leader has the write; acks=all needs min.insync.replicas in the ISR before the append and waits
 * in the produce purgatory until the high watermark passes the write (at once with one replica);
 * acks=0 gets no response, and a failure closes its connection so the producer notices, as in Kafka.
 */
public final class ProduceHandler implements ApiHandler {

    private static final Logger log = LoggerFactory.getLogger(ProduceHandler.class);

    private final PartitionRegistry partitions;
    private final ClusterMetadata controller;
    private final Purgatory produces;
    private final TopicTraffic traffic;
    private final ClusterView cluster;
    private final LeaderHints hints;
    private final boolean transactions;
    private final ProduceVerification verification;
    private final AfterVerification afterVerification;
    private final RequestAuthorizer authorizer;

    /**
     * A handler appending to the logs of {@code partitions}, counting what it appends in {@code traffic};
     * with {@code transactions} ({@code runnel.transactions.enable}) it takes transactional batches.
     *
     * @param verification      checks transactional partitions with their coordinator before the append
     *                          ({@code transaction.partition.verification.enable}), or null
     * @param afterVerification where appends run whose verification the coordinator answered later (request
     *                          handler threads); one known at once is appended on the asking thread
     * @param authorizer        WRITE on each topic (else TOPIC_AUTHORIZATION_FAILED), and on the transactional id for
     *                          transactional records (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED), as Kafka checks
     */
    public ProduceHandler(PartitionRegistry partitions, ClusterMetadata controller, ClusterView cluster, Purgatory produces, TopicTraffic traffic,
                          boolean transactions, ProduceVerification verification, Executor afterVerification, RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
        this.partitions = partitions;
        this.transactions = transactions;
        this.verification = verification;
        this.afterVerification = new AfterVerification(afterVerification);
        this.controller = controller;
        this.cluster = cluster;
        this.produces = produces;
        this.traffic = traffic;
        this.hints = new LeaderHints(partitions, cluster);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ProduceRequestData data = (ProduceRequestData) request.body();
        if (!hasTransactionalRecords(data)) {
            return appendAll(request, data, ProduceVerification.Outcome.NOTHING_TO_VERIFY);
        }
        if (data.transactionalId() == null || !authorizer.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, data.transactionalId())) {
            throw new TransactionalIdAuthorizationException("Produce of transactional records is not authorized.");
        }
        if (!transactionsServedFor(data)) {
            return answer(request, data, answerEachPartition(data, refusalOfTransactions(data)), List.of());
        }
        if (verification == null) {
            return appendAll(request, data, ProduceVerification.Outcome.NOTHING_TO_VERIFY);
        }
        short version = request.apiVersion();
        return afterVerification.then(verification.verify(data, version, topic -> topicName(topic, version)),
                        (ProduceVerification.Outcome outcome, Throwable failure) ->
                                failure == null ? appendAll(request, data, outcome) : refuseAll(request, data, failure))
                .thenCompose(appended -> appended);
    }

    /** Answers every partition with the error of a request that cannot be verified (more than one producer id). */
    private CompletableFuture<ApiMessage> refuseAll(KafkaRequest request, ProduceRequestData data, Throwable failure) {
        Errors error = Errors.forException(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
        return answer(request, data, answerEachPartition(data, (topic, partition) -> new PartitionProduceResponse()
                .setIndex(partition.index()).setErrorCode(error.code()).setBaseOffset(-1L)), List.of());
    }

    /** Appends every partition of the request (the verified ones with their guards) and answers once they are replicated. */
    private CompletableFuture<ApiMessage> appendAll(KafkaRequest request, ProduceRequestData data, ProduceVerification.Outcome verified) {
        List<AwaitedReplication> awaited = new ArrayList<>();
        ProduceResponseData response = answerEachPartition(data, (topic, partition) ->
                produce(request, topicName(topic, request.apiVersion()), partition, data.acks(), awaited, verified));
        return answer(request, data, response, awaited);
    }

    private CompletableFuture<ApiMessage> answer(KafkaRequest request, ProduceRequestData data, ProduceResponseData response,
                                                 List<AwaitedReplication> awaited) {
        addLeaderEndpoints(response, request);
        if (data.acks() == 0) {
            if (hasError(response)) {
                throw new CloseConnectionException("an acks=0 produce request failed");
            }
            return CompletableFuture.completedFuture(null);
        }
        if (awaited.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        CompletableFuture<ApiMessage> answer = new CompletableFuture<>();
        produces.watch(new WaitingProduce(response, awaited, answer), awaited.stream().map(a -> a.partition().topicPartition()).toList(),
                data.timeoutMs());
        return answer;
    }

    /**
     * An acks=all write appended to a replicated partition, waiting for the high watermark to pass it.
     *
     * @param partition where it was appended
     * @param requiredOffset the offset after its last record
     * @param leaderEpoch the leader epoch it was appended at
     * @param answer the partition's answer, whose error is set when the wait ends
     */
    private record AwaitedReplication(Partition partition, long requiredOffset, int leaderEpoch, PartitionProduceResponse answer) { }

    /**
     * An acks=all produce in the purgatory: answered once every partition's write is replicated (or
     * refused: NOT_ENOUGH_REPLICAS_AFTER_APPEND, NOT_LEADER_OR_FOLLOWER), or with REQUEST_TIMED_OUT for
     * those still waiting when the request's timeout is up.
     */
    private static final class WaitingProduce extends DelayedOperation {

        private final ProduceResponseData response;
        private final List<AwaitedReplication> awaited;
        private final CompletableFuture<ApiMessage> answer;

        WaitingProduce(ProduceResponseData response, List<AwaitedReplication> awaited, CompletableFuture<ApiMessage> answer) {
            this.response = response;
            this.awaited = awaited;
            this.answer = answer;
        }

        @Override
        protected boolean canComplete() {
            for (AwaitedReplication write : awaited) {
                if (write.partition().replicationError(write.requiredOffset(), write.leaderEpoch()).isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        protected void complete() {
            for (AwaitedReplication write : awaited) {
                Errors error = write.partition().replicationError(write.requiredOffset(), write.leaderEpoch()).orElse(Errors.REQUEST_TIMED_OUT);
                if (error != Errors.NONE) {
                    write.answer().setErrorCode(error.code()).setErrorMessage(error.message());
                }
            }
            answer.complete(response);
        }
    }

    /** What a partition of the request is answered with. */
    @FunctionalInterface
    private interface PartitionAnswer {
        PartitionProduceResponse answer(TopicProduceData topic, PartitionProduceData partition);
    }

    private static ProduceResponseData answerEachPartition(ProduceRequestData data, PartitionAnswer answer) {
        ProduceResponseData response = new ProduceResponseData();
        for (TopicProduceData topic : data.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topic.name()).setTopicId(topic.topicId());
            for (PartitionProduceData partition : topic.partitionData()) {
                topicResponse.partitionResponses().add(answer.answer(topic, partition));
            }
            response.responses().add(topicResponse);
        }
        return response;
    }

    /** KIP-951: the endpoints of the leaders named in NOT_LEADER_OR_FOLLOWER answers (v10+). */
    private void addLeaderEndpoints(ProduceResponseData response, KafkaRequest request) {
        if (request.apiVersion() >= 10) {
            hints.addEndpoints(response, cluster.listener(request));
        }
    }

    private static boolean hasError(ProduceResponseData response) {
        for (TopicProduceResponse topic : response.responses()) {
            for (PartitionProduceResponse partition : topic.partitionResponses()) {
                if (partition.errorCode() != Errors.NONE.code()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasTransactionalRecords(ProduceRequestData data) {
        for (TopicProduceData topic : data.topicData()) {
            for (PartitionProduceData partition : topic.partitionData()) {
                if (RequestRecords.hasTransactionalBatch(partition.records())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether transactional batches of this request may be appended: transactions are served and the
     * request names its transactional id. Without verification (piece 9) the log opens the transaction
     * at the first transactional batch, as Kafka's does with {@code transaction.partition.verification.enable=false}.
     */
    private boolean transactionsServedFor(ProduceRequestData data) {
        return transactions && data.transactionalId() != null;
    }

    /**
     * With transactions off no transactional write can be valid. Kafka answers a
     * transactional write without a transactional id with TRANSACTIONAL_ID_AUTHORIZATION_FAILED, and
     * one from a producer not in a transaction with INVALID_TXN_STATE; so does Runnel, for every partition.
     */
    private static PartitionAnswer refusalOfTransactions(ProduceRequestData data) {
        Errors error = data.transactionalId() == null ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : Errors.INVALID_TXN_STATE;
        return (topic, partition) -> new PartitionProduceResponse().setIndex(partition.index())
                .setErrorCode(error.code()).setBaseOffset(-1L);
    }

    private Optional<String> topicName(TopicProduceData topic, short version) {
        if (version >= 13) {
            return controller.image().topic(topic.topicId()).map(TopicMetadata::name);
        }
        return Optional.ofNullable(topic.name());
    }

    private PartitionProduceResponse produce(KafkaRequest request, Optional<String> topicName, PartitionProduceData data, short acks,
                                             List<AwaitedReplication> awaited, ProduceVerification.Outcome verified) {
        short version = request.apiVersion();
        // An error answer carries no offset: -1, as Kafka sends.
        PartitionProduceResponse result = new PartitionProduceResponse().setIndex(data.index()).setBaseOffset(-1L);
        if (acks != -1 && acks != 0 && acks != 1) {
            return result.setErrorCode(Errors.INVALID_REQUIRED_ACKS.code());
        }
        if (topicName.isEmpty()) {
            return result.setErrorCode((version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
        }
        if (!authorizer.authorizeTopic(request, AclOperation.WRITE, topicName.get())) {
            return result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        if (TopicNames.isInternal(topicName.get())) {
            return result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code())
                    .setErrorMessage("Cannot append to internal topic " + topicName.get());
        }
        TopicPartition topicPartition = new TopicPartition(topicName.get(), data.index());
        Optional<Partition> partition = partitions.partition(topicPartition);
        if (partition.isEmpty()) {
            Errors error = partitions.absentPartitionError(topicPartition);
            if (error == Errors.NOT_LEADER_OR_FOLLOWER) {
                hints.ifLeaderKnown(topicPartition, leader -> result.currentLeader().setLeaderId(leader.leader()).setLeaderEpoch(leader.leaderEpoch()));
            }
            return result.setErrorCode(error.code());
        }
        try {
            RequestRecords.checkProduced(version, data.records());
        } catch (ApiException e) {
            return result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
        }
        ProduceVerification.RefusedPartition refused = verified.refused().get(topicPartition);
        if (refused != null) {
            return result.setErrorCode(refused.error().code()).setErrorMessage(refused.message());
        }
        PartitionProduceResponse appended;
        try {
            appended = append(partition.get(), data, acks, result, awaited, verified.guardOf(topicPartition));
        } catch (KeylessRecordException e) {
            log.debug("Produce to {} refused: records without a key", topicPartition);
            return refuseKeylessRecords(result, e, topicPartition);
        } catch (ApiException e) {
            log.debug("Produce to {} refused: {}", topicPartition, e.getMessage());
            return result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
        } catch (RuntimeException e) {
            log.error("Append to {} failed", topicPartition, e);
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setErrorMessage(e.getMessage());
        }
        return appended;
    }

    /** Kafka's answer to records without a key on a compacted topic: INVALID_RECORD with one error per record. */
    private static PartitionProduceResponse refuseKeylessRecords(PartitionProduceResponse result, KeylessRecordException e,
                                                                 TopicPartition topicPartition) {
        List<RecordError> errors = new ArrayList<>();
        for (int index : e.recordIndexes()) {
            errors.add(new RecordError(index, KeylessRecordException.MESSAGE + " in topic partition " + topicPartition));
            result.recordErrors().add(new BatchIndexAndErrorMessage().setBatchIndex(index)
                    .setBatchIndexErrorMessage(errors.get(errors.size() - 1).message));
        }
        return result.setErrorCode(Errors.INVALID_RECORD.code()).setErrorMessage("One or more records have been rejected due to "
                + errors.size() + " record errors in total, and only showing the first three errors at most: "
                + errors.subList(0, Math.min(errors.size(), 3)));
    }

    private PartitionProduceResponse append(Partition partition, PartitionProduceData data, short acks, PartitionProduceResponse result,
                                            List<AwaitedReplication> awaited, VerificationGuard guard) {
        int leaderEpoch = partition.leaderEpoch();
        AppendResult appended = guard == VerificationGuard.NONE
                ? partition.appendAsLeader(RequestRecords.buffer(data.records()), acks == -1)
                : partition.appendAsLeader(RequestRecords.buffer(data.records()), acks == -1, AppendOrigin.CLIENT, guard,
                        TxnMarker.UNKNOWN_TRANSACTION_VERSION);
        if (!appended.duplicate()) {
            // Offsets were assigned from the batches' record counts: no record is looked at to count them.
            traffic.appended(partition.topicPartition().topic(), appended.bytes(), appended.lastOffset() - appended.firstOffset() + 1);
        }
        result.setBaseOffset(appended.firstOffset())
                .setLogAppendTimeMs(appended.logAppendTime())
                .setLogStartOffset(appended.logStartOffset());
        if (acks == -1) {
            long requiredOffset = appended.lastOffset() + 1;
            if (!partition.replicationError(requiredOffset, leaderEpoch).equals(Optional.of(Errors.NONE))) {
                awaited.add(new AwaitedReplication(partition, requiredOffset, leaderEpoch, result));
            }
        }
        return result;
    }
}
