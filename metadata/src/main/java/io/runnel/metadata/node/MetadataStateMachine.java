package io.runnel.metadata.node;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataPublisher;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.MetadataRecordSerde;
import io.runnel.metadata.controller.ActiveController;
import io.runnel.metadata.controller.ControllerMessages;
import io.runnel.metadata.node.QuorumMessages.Fetch;
import io.runnel.metadata.quorum.QuorumStateMachine;
import io.runnel.metadata.quorum.RaftQuorum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.apache.kafka.common.errors.NotControllerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata on a quorum voter: replays each committed entry (a batch of records) into the node's
 * image, snapshots the image, and, while this voter leads, runs the {@link ActiveController} and
 * serves the other nodes' commands and metadata fetches. Apply, snapshot and restore run on the
 * quorum's apply thread; requests and leadership changes arrive on its RPC threads.
 */
final class MetadataStateMachine implements QuorumStateMachine {

    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final int nodeId;
    private final MetadataPublisher publisher = new MetadataPublisher(MetadataImage.EMPTY);
    private final MetadataHistory history;
    private final Function<MetadataStateMachine, ActiveController> controllerFactory;
    private volatile ActiveController controller;
    private volatile int leaderId = -1;

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
                return history.fetch(fetch.fromOffset(), fetch.maxWaitMs(), publisher::image, nodeId).thenApply(QuorumMessages::answer);
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
