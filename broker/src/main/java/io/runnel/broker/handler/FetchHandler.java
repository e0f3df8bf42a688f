package io.runnel.broker.handler;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.quota.FetchQuota;
import io.runnel.broker.metrics.TopicTraffic;
import io.runnel.broker.partition.DelayedOperation;
import io.runnel.broker.partition.Purgatory;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Fetch: reads whole batches from each requested partition, bounded by the request's and each
 * partition's byte limits, and hands the segment byte ranges to the network layer for zero copy. When
 * fewer than {@code min_bytes} are available it waits in the purgatory, woken by appends, for at most
 * {@code max_wait_ms}. Fetch sessions (KIP-227) are declined: session id 0 means full fetches. A
 * follower's fetch (a replica id) reads up to the log end instead of the high watermark, is told where
 * its log diverged, and counts as the follower's progress (see {@link io.runnel.broker.partition.Partition}).
 * A read_committed fetch (isolation level 1) reads up to the last stable offset, gets the aborted
 * transactions of what it reads, and waits at the last stable offset as others wait at the high
 * watermark: the log moves it inside the high watermark update and the marker append, before the wake.
 */
public final class FetchHandler implements ApiHandler {

    private static final byte READ_COMMITTED = 1;

    private final PartitionRegistry partitions;
    private final ClusterMetadata controller;
    private final Purgatory purgatory;
    private final int brokerMaxBytes;
    private final TopicTraffic traffic;
    private final ClusterView cluster;
    private final LeaderHints hints;
    private final RequestAuthorizer authorizer;
    private final FetchQuota quota;

    /**
     * A handler reading from {@code partitions}, capping responses at {@code fetch.max.bytes} and
     * counting the record bytes it sends in {@code traffic}; a consumer needs READ on each topic, a
     * follower CLUSTER_ACTION, else the partition answers TOPIC_AUTHORIZATION_FAILED, as in Kafka.
     */
    public FetchHandler(PartitionRegistry partitions, ClusterMetadata controller, ClusterView cluster, Purgatory purgatory, int brokerMaxBytes,
                        TopicTraffic traffic, RequestAuthorizer authorizer) {
        this(partitions, controller, cluster, purgatory, brokerMaxBytes, traffic, authorizer, FetchQuota.NONE);
    }

    /** As above, with consumers' fetches held to their consumer_byte_rate quota by {@code quota}. */
    public FetchHandler(PartitionRegistry partitions, ClusterMetadata controller, ClusterView cluster, Purgatory purgatory, int brokerMaxBytes,
                        TopicTraffic traffic, RequestAuthorizer authorizer, FetchQuota quota) {
        this.quota = quota;
        this.authorizer = authorizer;
        this.partitions = partitions;
        this.cluster = cluster;
        this.hints = new LeaderHints(partitions, cluster);
        this.controller = controller;
        this.purgatory = purgatory;
        this.brokerMaxBytes = brokerMaxBytes;
        this.traffic = traffic;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        FetchRequestData data = (FetchRequestData) request.body();
        if (data.sessionId() != 0 || data.sessionEpoch() > 0) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()));
        }
        FetchReader.FollowerFetch follower = follower(data, request.apiVersion());
        if (follower != null && data.clusterId() != null && !data.clusterId().equals(controller.image().clusterId())) {
            return CompletableFuture.completedFuture(new FetchResponseData().setErrorCode(Errors.INCONSISTENT_CLUSTER_ID.code()));
        }
        List<FetchTarget> targets = resolve(request, data, follower != null);
        int maxBytes = Math.min(data.maxBytes(), brokerMaxBytes);
        if (follower == null) {
            maxBytes = quota.maxBytes(request, maxBytes);
        }
        int minBytes = Math.min(data.minBytes(), maxBytes);
        FetchReader reader = new FetchReader(partitions, hints, targets, maxBytes, request.apiVersion() >= 13,
                data.isolationLevel() == READ_COMMITTED, follower);
        FetchReader.Result first = reader.read();
        if (data.maxWaitMs() <= 0 || first.bytes() >= minBytes || first.hasError() || targets.isEmpty()) {
            return CompletableFuture.completedFuture(answer(first.response(), request, follower));
        }
        CompletableFuture<ApiMessage> response = new CompletableFuture<>();
        purgatory.watch(new WaitingFetch(reader, minBytes, response), topicPartitions(targets), data.maxWaitMs());
        return response.thenApply(waited -> answer((FetchResponseData) waited, request, follower));
    }

    /** The answer as sent: leader endpoints added, a consumer's held to its quota (empty when throttled), its records counted. */
    private ApiMessage answer(FetchResponseData response, KafkaRequest request, FetchReader.FollowerFetch follower) {
        withLeaderEndpoints(response, request);
        return counted(follower == null ? quota.throttle(request, response) : response, follower);
    }

    /** The follower a fetch comes from (Kafka's replica id, in the replica state from v15), or null for a consumer's fetch. */
    private static FetchReader.FollowerFetch follower(FetchRequestData data, short version) {
        if (version >= 15) {
            return data.replicaState().replicaId() >= 0
                    ? new FetchReader.FollowerFetch(data.replicaState().replicaId(), data.replicaState().replicaEpoch()) : null;
        }
        return data.replicaId() >= 0 ? new FetchReader.FollowerFetch(data.replicaId(), -1) : null;
    }

    /** KIP-951: the endpoints of the leaders named in NOT_LEADER_OR_FOLLOWER answers (v16+). */
    private void withLeaderEndpoints(FetchResponseData response, KafkaRequest request) {
        if (request.apiVersion() >= 16) {
            hints.addEndpoints(response, cluster.listener(request));
        }
    }

    /**
     * Counts the record bytes of a consumer's response that is sent (a waiting fetch reads several times,
     * but answers once); what followers fetch is replication, not traffic.
     */
    private ApiMessage counted(ApiMessage response, FetchReader.FollowerFetch follower) {
        if (follower != null) {
            return response;
        }
        for (FetchResponseData.FetchableTopicResponse topic : ((FetchResponseData) response).responses()) {
            if (topic.topic() == null) {
                continue;
            }
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                traffic.fetched(topic.topic(), partition.records().sizeInBytes());
            }
        }
        return response;
    }

    private List<FetchTarget> resolve(KafkaRequest request, FetchRequestData data, boolean fromFollower) {
        boolean byTopicId = request.apiVersion() >= 13;
        boolean followerMayRead = fromFollower && authorizer.authorizeCluster(request, AclOperation.CLUSTER_ACTION);
        List<FetchTarget> targets = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : data.topics()) {
            String name = byTopicId
                    ? controller.image().topic(topic.topicId()).map(TopicMetadata::name).orElse(null)
                    : topic.topic();
            boolean authorized = fromFollower ? followerMayRead : name != null && authorizer.authorizeTopic(request, AclOperation.READ, name);
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                targets.add(new FetchTarget(name, topic.topicId(), partition, authorized));
            }
        }
        return targets;
    }

    private static List<TopicPartition> topicPartitions(List<FetchTarget> targets) {
        List<TopicPartition> result = new ArrayList<>(targets.size());
        for (FetchTarget target : targets) {
            if (target.topicName() != null) {
                result.add(new TopicPartition(target.topicName(), target.partition().partition()));
            }
        }
        return result;
    }

    /** A fetch parked in the purgatory until enough bytes arrive or its wait ends. */
    private static final class WaitingFetch extends DelayedOperation {

        private final FetchReader reader;
        private final int minBytes;
        private final CompletableFuture<ApiMessage> response;

        WaitingFetch(FetchReader reader, int minBytes, CompletableFuture<ApiMessage> response) {
            this.reader = reader;
            this.minBytes = minBytes;
            this.response = response;
        }

        @Override
        protected boolean canComplete() {
            if (minBytes <= 1) {
                // The common case (the consumers' default): any new record will do, and the high
                // watermarks tell that without reading anything.
                return reader.hasNewDataOrError();
            }
            FetchReader.Result result = reader.read();
            return result.bytes() >= minBytes || result.hasError();
        }

        @Override
        protected void complete() {
            try {
                response.complete(reader.read().response());
            } catch (RuntimeException e) {
                response.completeExceptionally(e);
            }
        }
    }
}
