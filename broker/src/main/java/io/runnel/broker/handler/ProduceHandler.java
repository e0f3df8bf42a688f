package io.runnel.broker.handler;

import io.runnel.broker.metrics.TopicTraffic;
import io.runnel.broker.network.CloseConnectionException;
import io.runnel.broker.partition.FetchPurgatory;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
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
 * bytes written as the producer sent them), then waiting fetches are woken. A partition led by another
 * broker answers NOT_LEADER_OR_FOLLOWER with the current leader (KIP-951). With one replica the
 * write is acknowledged as soon as it is in the log, for acks=1 and acks=all alike; acks=0 gets no
 * response, and a failure closes its connection so the producer notices, as in Kafka.
 */
public final class ProduceHandler implements ApiHandler {

    private static final Logger log = LoggerFactory.getLogger(ProduceHandler.class);

    private final PartitionRegistry partitions;
    private final ClusterMetadata controller;
    private final FetchPurgatory purgatory;
    private final TopicTraffic traffic;
    private final ClusterView cluster;
    private final LeaderHints hints;

    /** A handler appending to the logs of {@code partitions}, counting what it appends in {@code traffic}. */
    public ProduceHandler(PartitionRegistry partitions, ClusterMetadata controller, ClusterView cluster, FetchPurgatory purgatory,
                          TopicTraffic traffic) {
        this.partitions = partitions;
        this.controller = controller;
        this.cluster = cluster;
        this.purgatory = purgatory;
        this.traffic = traffic;
        this.hints = new LeaderHints(partitions, cluster);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ProduceRequestData data = (ProduceRequestData) request.body();
        ProduceResponseData response = hasTransactionalRecords(data)
                ? answerEachPartition(data, refusalOfTransactions(data))
                : answerEachPartition(data, (topic, partition) -> produce(topicName(topic, request.apiVersion()), partition, data.acks(), request.apiVersion()));
        addLeaderEndpoints(response, request);
        if (data.acks() == 0) {
            if (hasError(response)) {
                throw new CloseConnectionException("an acks=0 produce request failed");
            }
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.completedFuture(response);
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
     * Transactions are not served yet, so no transactional write can be valid. Kafka answers a
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

    private PartitionProduceResponse produce(Optional<String> topicName, PartitionProduceData data, short acks, short version) {
        // An error answer carries no offset: -1, as Kafka sends.
        PartitionProduceResponse result = new PartitionProduceResponse().setIndex(data.index()).setBaseOffset(-1L);
        if (acks != -1 && acks != 0 && acks != 1) {
            return result.setErrorCode(Errors.INVALID_REQUIRED_ACKS.code());
        }
        if (topicName.isEmpty()) {
            return result.setErrorCode((version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
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
        PartitionProduceResponse appended;
        try {
            appended = append(partition.get(), data, acks, result);
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
        // Outside the append's error handling: whatever the woken fetches do, this write succeeded.
        purgatory.onAppend(topicPartition);
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

    private PartitionProduceResponse append(Partition partition, PartitionProduceData data, short acks, PartitionProduceResponse result) {
        if (acks == -1 && partition.inSyncReplicaCount() < partition.minInsyncReplicas()) {
            throw new NotEnoughReplicasException("The size of the current ISR " + partition.inSyncReplicaCount()
                    + " is insufficient to satisfy the min.isr requirement of " + partition.minInsyncReplicas()
                    + " for partition " + partition.topicPartition());
        }
        AppendResult appended = partition.log().appendAsLeader(RequestRecords.buffer(data.records()), partition.leaderEpoch());
        if (!appended.duplicate()) {
            // Offsets were assigned from the batches' record counts: no record is looked at to count them.
            traffic.appended(partition.topicPartition().topic(), appended.bytes(), appended.lastOffset() - appended.firstOffset() + 1);
        }
        return result.setBaseOffset(appended.firstOffset())
                .setLogAppendTimeMs(appended.logAppendTime())
                .setLogStartOffset(appended.logStartOffset());
    }
}
