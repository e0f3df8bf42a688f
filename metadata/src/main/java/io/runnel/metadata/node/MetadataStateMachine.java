package io.runnel.metadata.node;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataPublisher;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.MetadataRecordSerde;
import io.runnel.metadata.controller.ActiveController;
import io.runnel.metadata.controller.ControllerMessages;
import io.runnel.metadata.node.QuorumMessages.Fetch;
import io.runnel.metadata.quorum.QuorumStateMachine;
import io.runnel.metadata.quorum.QuorumStatus;
import io.runnel.metadata.quorum.QuorumStatus.VoterStatus;
import io.runnel.metadata.quorum.RaftQuorum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.NotControllerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata on a quorum voter: replays each committed entry (a batch of records) into the node's
 * image, snapshots the image, and, while this voter leads, runs the {@link ActiveController} and
 * serves the other nodes' commands, metadata fetches and quorum status requests (the status names,
 * as observers, the nodes that fetched in the last {@link #OBSERVER_SESSION_MS} ms). Apply, snapshot
 * and restore run on the quorum's apply thread; requests and leadership changes arrive on its RPC threads.
 */
final class MetadataStateMachine implements QuorumStateMachine {

    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);
    /** How long an observer that stopped fetching is still listed, as Kafka's leader does. */
    static final long OBSERVER_SESSION_MS = 300_000;

    private final int nodeId;
    private final MetadataPublisher publisher = new MetadataPublisher(MetadataImage.EMPTY);
    private final MetadataHistory history;
    private final Function<MetadataStateMachine, ActiveController> controllerFactory;
    private volatile ActiveController controller;
    private volatile int leaderId = -1;
    private volatile RaftQuorum quorum;
    /** Observer node id to its last fetch: {offset it fetched from, wall-clock time}. */
    private final Map<Integer, long[]> observerFetches = new ConcurrentHashMap<>();

    MetadataStateMachine(int nodeId, ScheduledExecutorService timer, Function<MetadataStateMachine, ActiveController> controllerFactory) {
        this.nodeId = nodeId;
        this.history = new MetadataHistory(timer);
        this.controllerFactory = controllerFactory;
    }

    MetadataPublisher publisher() {
        return publisher;
    }

    int leaderId() {
        return leaderId;
    }

    /** The quorum this state machine is replicated by, once it has started; needed to answer status requests. */
    void attach(RaftQuorum raftQuorum) {
        this.quorum = raftQuorum;
    }

    /** Appends records through {@code quorum}: what the active controller's appender does here. */
    static CompletableFuture<Long> append(RaftQuorum quorum, List<MetadataRecord> records) {
        return quorum.append(MetadataRecordSerde.serializeBatch(records));
    }

    @Override
    public void apply(long index, byte[] entry) {
        List<MetadataRecord> records;
        try {
            records = MetadataRecordSerde.deserializeBatch(entry);
        } catch (IOException e) {
            // Every voter holds the same bytes: skipping keeps them all in step, stopping would stop the quorum.
            log.error("Skipping unreadable metadata entry at offset {}", index, e);
            records = List.of();
        }
        publisher.publish(records, index);
        history.append(index, entry);
    }

    @Override
    public byte[] snapshot() {
        return MetadataRecordSerde.serializeBatch(publisher.image().asRecords());
    }

    @Override
    public void restore(long index, byte[] snapshot) {
        try {
            publisher.reset(MetadataImage.EMPTY.apply(MetadataRecordSerde.deserializeBatch(snapshot), index));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable metadata snapshot at offset " + index, e);
        }
        history.restart(index);
    }

    @Override
    public CompletableFuture<byte[]> handleRequest(byte[] request) {
        try {
            if (request[0] == QuorumMessages.FETCH) {
                Fetch fetch = QuorumMessages.readFetch(request);
                if (fetch.nodeId() >= 0) {
                    observerFetches.put(fetch.nodeId(), new long[] {fetch.fromOffset(), System.currentTimeMillis()});
                }
                return history.fetch(fetch.fromOffset(), fetch.maxWaitMs(), publisher::image, nodeId).thenApply(QuorumMessages::answer);
            }
            if (request[0] == QuorumMessages.STATUS) {
                // A failure goes back as a failed request: the asker reads any answer as a status.
                try {
                    return CompletableFuture.completedFuture(QuorumMessages.statusAnswer(status()));
                } catch (IllegalStateException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
            ActiveController active = controller;
            if (active == null) {
                return CompletableFuture.completedFuture(ControllerMessages.encodeError(
                        new NotControllerException("Node " + nodeId + " is not the active controller yet.")));
            }
            return active.submit(ControllerMessages.decodeCommand(java.util.Arrays.copyOfRange(request, 1, request.length)))
                    .handle((committed, error) -> error == null ? ControllerMessages.encodeReply(committed)
                            : ControllerMessages.encodeError(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(ControllerMessages.encodeError(e));
        }
    }

    /**
     * The quorum as this voter sees it, with the observers that fetched from it lately (their log end is
     * the offset they last fetched from, caught up if that reached the high watermark).
     *
     * @throws IllegalStateException before the quorum has started
     */
    QuorumStatus status() {
        RaftQuorum raftQuorum = quorum;
        if (raftQuorum == null) {
            throw new IllegalStateException("node " + nodeId + " has not joined the quorum yet");
        }
        QuorumStatus status = raftQuorum.status();
        long now = System.currentTimeMillis();
        Set<Integer> voterIds = status.voters().stream().map(VoterStatus::nodeId).collect(Collectors.toSet());
        observerFetches.values().removeIf(fetch -> now - fetch[1] > OBSERVER_SESSION_MS);
        List<VoterStatus> observers = observerFetches.entrySet().stream()
                .filter(observer -> !voterIds.contains(observer.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .map(observer -> new VoterStatus(observer.getKey(), observer.getValue()[0], observer.getValue()[1],
                        observer.getValue()[0] >= status.highWatermark() ? observer.getValue()[1] : -1))
                .toList();
        return new QuorumStatus(status.leaderId(), status.term(), status.highWatermark(), status.voters(), observers);
    }

    @Override
    public void onLeaderReady(long term) {
        leaderId = nodeId;
        ActiveController previous = controller;
        if (previous != null) {
            previous.close();
        }
        controller = controllerFactory.apply(this);
        log.info("Node {} is the active controller (term {})", nodeId, term);
    }

    @Override
    public void onLeaderChanged(int newLeaderId, long term) {
        leaderId = newLeaderId;
        if (newLeaderId != nodeId) {
            ActiveController previous = controller;
            controller = null;
            if (previous != null) {
                previous.close();
                log.info("Node {} is no longer the active controller (term {}, leader {})", nodeId, term, newLeaderId);
            }
        }
    }

    /** Stops the controller, if this voter runs it. */
    void close() {
        ActiveController previous = controller;
        controller = null;
        if (previous != null) {
            previous.close();
        }
    }
}
