package io.runnel.broker.replica;

import io.runnel.broker.interbroker.BrokerConnection;
import io.runnel.broker.partition.Partition;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that keeps this broker's replicas of the partitions one leader leads in step with it, as
 * Kafka's replica fetcher: it fetches them all in one request (its replica id and broker epoch, each
 * partition at its log end with its last epoch), appends what comes back as the leader numbered it,
 * takes the leader's high watermark, and truncates a log the leader says has diverged. A partition the
 * leader refuses waits a back-off before it is fetched again; a lost connection is re-opened after one.
 * Partitions come and go from the metadata thread; everything else runs on the fetcher's own thread.
 */
final class ReplicaFetcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);
    /** Fetch v15 carries the replica's broker epoch (KIP-903); v12 the diverging epoch. */
    private static final short HIGHEST_FETCH_VERSION = 17;
    private static final short LOWEST_FETCH_VERSION = 12;
    /** How soon a partition whose leader has not caught up with the metadata yet is fetched again. */
    private static final long METADATA_WAIT_MS = 50;

    /** A partition fetched from this leader, at the leader epoch it was assigned with. */
    private static final class Followed {
        final Partition partition;
        final int leaderEpoch;
        volatile long delayedUntilMs;

        Followed(Partition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
        }
    }

    private final int leaderId;
    private final ReplicaFetcherSettings settings;
    private final Map<TopicPartition, Followed> partitions = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile BrokerConnection connection;
    private boolean connectionFailureLogged;

    ReplicaFetcher(int leaderId, ReplicaFetcherSettings settings) {
        this.leaderId = leaderId;
        this.settings = settings;
        this.thread = new Thread(this, "runnel-replica-fetcher-" + leaderId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Fetches {@code partition} from now on, at {@code leaderEpoch}. Any thread. */
    void add(Partition partition, int leaderEpoch) {
        Followed before = partitions.put(partition.topicPartition(), new Followed(partition, leaderEpoch));
        if (before == null) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Stops fetching {@code partition}; a fetch in flight that brings it data is ignored. Any thread. */
    void remove(TopicPartition partition) {
        partitions.remove(partition);
    }

    /** The leader epoch {@code partition} is fetched at, if this fetcher fetches it. */
    Optional<Integer> leaderEpoch(TopicPartition partition) {
        Followed followed = partitions.get(partition);
        return followed == null ? Optional.empty() : Optional.of(followed.leaderEpoch);
    }

    boolean isEmpty() {
        return partitions.isEmpty();
    }

    /** Stops the thread, interrupting a fetch in flight (its socket is closed). Any thread. */
    void shutdown() {
        running = false;
        BrokerConnection open = connection;
        if (open != null) {
            open.close();
        }
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (!fetchOnce()) {
                    synchronized (this) {
                        wait(untilNextDue());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                disconnect(e);
                pause();
            }
        }
        disconnect(null);
    }

    /** How long until some partition is due (a back-off ends), at most the back-off; at least 1 ms. */
    private long untilNextDue() {
        long nowMs = System.currentTimeMillis();
        long wait = settings.backoffMs();
        for (Followed followed : partitions.values()) {
            wait = Math.min(wait, followed.delayedUntilMs - nowMs);
        }
        return Math.max(1, wait);
    }

    /** One fetch round; returns false if there was nothing to fetch. */
    private boolean fetchOnce() throws IOException {
        long nowMs = System.currentTimeMillis();
        Map<TopicPartition, Followed> due = new LinkedHashMap<>();
        partitions.forEach((topicPartition, followed) -> {
            if (followed.delayedUntilMs <= nowMs) {
                due.put(topicPartition, followed);
            }
        });
        if (due.isEmpty()) {
            return false;
        }
        BrokerConnection open = connect();
        short version = open.version(ApiKeys.FETCH, HIGHEST_FETCH_VERSION);
        if (version < LOWEST_FETCH_VERSION) {
            throw new IOException("broker " + leaderId + " does not serve Fetch v" + LOWEST_FETCH_VERSION + "+");
        }
        FetchResponseData response = (FetchResponseData) open.send(ApiKeys.FETCH, version, request(due, version));
        if (response.errorCode() != Errors.NONE.code()) {
            log.warn("Fetch from broker {} failed: {}", leaderId, Errors.forCode(response.errorCode()));
            due.values().forEach(this::delay);
            return true;
        }
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData data : topic.partitions()) {
                Followed followed = find(due, topic.topicId(), data.partitionIndex());
                // Only if still fetched from here at the same epoch: a partition moved meanwhile is another fetcher's.
                if (followed != null && partitions.get(followed.partition.topicPartition()) == followed) {
                    handle(followed, data);
                }
            }
        }
        return true;
    }

    private FetchRequestData request(Map<TopicPartition, Followed> due, short version) {
        Map<Uuid, FetchRequestData.FetchTopic> topics = new LinkedHashMap<>();
        for (Followed followed : due.values()) {
            Partition partition = followed.partition;
            PartitionLog partitionLog = partition.log();
            FetchRequestData.FetchTopic topic = topics.computeIfAbsent(partition.topicId(),
                    id -> new FetchRequestData.FetchTopic().setTopicId(id).setTopic(partition.topicPartition().topic()));
            topic.partitions().add(new FetchRequestData.FetchPartition()
                    .setPartition(partition.topicPartition().partition())
                    .setCurrentLeaderEpoch(followed.leaderEpoch)
                    .setFetchOffset(partitionLog.logEndOffset())
                    .setLastFetchedEpoch(partitionLog.latestEpoch())
                    .setLogStartOffset(partitionLog.logStartOffset())
                    .setPartitionMaxBytes(settings.partitionMaxBytes()));
        }
        FetchRequestData request = new FetchRequestData()
                .setClusterId(settings.clusterId())
                .setMaxWaitMs(settings.maxWaitMs())
                .setMinBytes(settings.minBytes())
                .setMaxBytes(settings.responseMaxBytes())
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(new ArrayList<>(topics.values()));
        if (version >= 15) {
            request.setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(settings.localId()).setReplicaEpoch(settings.brokerEpoch().getAsLong()));
        } else {
            request.setReplicaId(settings.localId());
        }
        return request;
    }

    private static Followed find(Map<TopicPartition, Followed> due, Uuid topicId, int partition) {
        for (Followed followed : due.values()) {
            if (followed.partition.topicId().equals(topicId) && followed.partition.topicPartition().partition() == partition) {
                return followed;
            }
        }
        return null;
    }

    private void handle(Followed followed, FetchResponseData.PartitionData data) throws IOException {
        Partition partition = followed.partition;
        Errors error = Errors.forCode(data.errorCode());
        if (error == Errors.OFFSET_OUT_OF_RANGE && startAtLeaderLogStart(followed)) {
            return;
        }
        if (error == Errors.UNKNOWN_LEADER_EPOCH || error == Errors.NOT_LEADER_OR_FOLLOWER) {
            // The leader has not applied its election yet (or this broker lags): metadata arrives within
            // milliseconds, and every one of them counts for acks=all writes after a failover.
            log.debug("Fetch of {} from leader {} at epoch {} answered {}; retrying soon", partition.topicPartition(), leaderId,
                    followed.leaderEpoch, error);
            followed.delayedUntilMs = System.currentTimeMillis() + Math.min(settings.backoffMs(), METADATA_WAIT_MS);
            return;
        }
        if (error != Errors.NONE) {
            log.info("Fetch of {} from leader {} at epoch {} answered {}; retrying in {} ms", partition.topicPartition(), leaderId,
                    followed.leaderEpoch, error, settings.backoffMs());
            delay(followed);
            return;
        }
        try {
            if (data.divergingEpoch().epoch() >= 0 || data.divergingEpoch().endOffset() >= 0) {
                partition.truncateOnDivergence(followed.leaderEpoch, data.divergingEpoch().epoch(), data.divergingEpoch().endOffset());
                return;
            }
            ByteBuffer batches = data.records() instanceof MemoryRecords records ? records.buffer() : ByteBuffer.allocate(0);
            partition.appendFromLeader(followed.leaderEpoch, batches, data.highWatermark(), data.logStartOffset());
        } catch (ApiException | IllegalArgumentException e) {
            log.warn("Cannot apply the fetch of {} from leader {}: {}; retrying in {} ms", partition.topicPartition(), leaderId, e.toString(),
                    settings.backoffMs());
            delay(followed);
        }
    }

    /**
     * Kafka's answer to OFFSET_OUT_OF_RANGE: asks the leader for its log start offset (ListOffsets,
     * earliest); if this log ends below it, nothing here is on the leader any more, so the log is emptied
     * to start there. Returns false if that is not the case (the fetch is retried after a back-off).
     */
    private boolean startAtLeaderLogStart(Followed followed) throws IOException {
        Partition partition = followed.partition;
        BrokerConnection open = connect();
        short version = open.version(ApiKeys.LIST_OFFSETS, (short) 8);
        if (version < 1) {
            return false;
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(settings.localId());
        ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic().setName(partition.topicPartition().topic());
        topic.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(partition.topicPartition().partition())
                .setCurrentLeaderEpoch(followed.leaderEpoch).setTimestamp(ListOffsetsRequest.EARLIEST_TIMESTAMP));
        request.topics().add(topic);
        ListOffsetsResponseData response = (ListOffsetsResponseData) open.send(ApiKeys.LIST_OFFSETS, version, request);
        for (ListOffsetsResponseData.ListOffsetsTopicResponse answered : response.topics()) {
            for (ListOffsetsResponseData.ListOffsetsPartitionResponse answer : answered.partitions()) {
                long leaderStart = answer.offset();
                if (answer.errorCode() == Errors.NONE.code() && leaderStart > partition.log().logEndOffset()) {
                    log.info("The log of {} ends at {}, below the log start offset {} of leader {}: starting it again there",
                            partition.topicPartition(), partition.log().logEndOffset(), leaderStart, leaderId);
                    partition.log().truncateFullyAndStartAt(leaderStart);
                    return true;
                }
            }
        }
        return false;
    }

    private void delay(Followed followed) {
        followed.delayedUntilMs = System.currentTimeMillis() + settings.backoffMs();
    }

    private BrokerConnection connect() throws IOException {
        BrokerConnection open = connection;
        if (open != null) {
            return open;
        }
        BrokerEndpoint endpoint = settings.endpoints().apply(leaderId)
                .orElseThrow(() -> new IOException("broker " + leaderId + " has no endpoint for listener " + settings.listenerName()));
        open = BrokerConnection.open(endpoint.host(), endpoint.port(), "runnel-replica-fetcher-" + settings.localId(),
                settings.connectTimeoutMs(), settings.socketTimeoutMs(), settings.security());
        connection = open;
        if (connectionFailureLogged) {
            log.info("Connected to broker {} at {}:{} again", leaderId, endpoint.host(), endpoint.port());
            connectionFailureLogged = false;
        }
        if (!running) {
            open.close();
        }
        return open;
    }

    private void disconnect(Exception cause) {
        BrokerConnection open = connection;
        connection = null;
        if (open != null) {
            open.close();
        }
        if (cause != null && running && !connectionFailureLogged) {
            log.warn("Fetching from broker {} failed: {}; retrying every {} ms", leaderId, cause.toString(), settings.backoffMs());
            connectionFailureLogged = true;
        }
    }

    private void pause() {
        synchronized (this) {
            try {
                if (running) {
                    wait(settings.backoffMs());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** For tests and tools: the partitions this fetcher fetches. */
    List<TopicPartition> partitions() {
        return List.copyOf(partitions.keySet());
    }
}
