package io.runnel.metadata.node;

import io.runnel.metadata.MetadataPublisher;
import io.runnel.metadata.controller.ActiveController;
import io.runnel.metadata.controller.ControllerChannel;
import io.runnel.metadata.controller.ControllerConfig;
import io.runnel.metadata.quorum.QuorumClient;
import io.runnel.metadata.quorum.QuorumSettings;
import io.runnel.metadata.quorum.QuorumStatus;
import io.runnel.metadata.quorum.QuorumVoter;
import io.runnel.metadata.quorum.RaftQuorum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node of a cluster whose metadata log is the Raft quorum's (Apache Ratis): a voter replays the log
 * it helps replicate, and runs the controller while it leads; a broker that does not vote fetches the
 * log from the leader. Either sends its commands to the active controller through the quorum.
 * Thread-safe.
 */
public final class QuorumMetadataNode implements MetadataNode {

    private final int nodeId;
    private final RaftQuorum quorum;
    private final MetadataStateMachine stateMachine;
    private final MetadataFetcher fetcher;
    private final MetadataPublisher publisher;
    private final QuorumClient commandClient;
    private final QuorumClient fetchClient;
    private final ControllerChannel channel;
    private final ScheduledExecutorService timer;

    private QuorumMetadataNode(int nodeId, RaftQuorum quorum, MetadataStateMachine stateMachine, MetadataFetcher fetcher, MetadataPublisher publisher,
                               QuorumClient commandClient, QuorumClient fetchClient, ScheduledExecutorService timer) {
        this.nodeId = nodeId;
        this.quorum = quorum;
        this.stateMachine = stateMachine;
        this.fetcher = fetcher;
        this.publisher = publisher;
        this.commandClient = commandClient;
        this.fetchClient = fetchClient;
        this.channel = new QuorumControllerChannel(commandClient);
        this.timer = timer;
    }

    /**
     * Starts voter {@code nodeId}: its Ratis server on its voter port, storage in {@code storageDir}. As
     * the active controller it records {@code proposedClusterId} if the log has no cluster id yet, and falls
     * back to {@code controllerConfig} (this node's static broker configs) where the metadata sets no value.
     */
    public static QuorumMetadataNode startVoter(int nodeId, List<QuorumVoter> voters, Path storageDir, QuorumSettings settings,
                                                long sessionTimeoutMs, String proposedClusterId, ControllerConfig controllerConfig)
            throws IOException {
        ScheduledExecutorService timer = timer(nodeId);
        AtomicReference<RaftQuorum> quorum = new AtomicReference<>();
        MetadataStateMachine stateMachine = new MetadataStateMachine(nodeId, timer, machine -> new ActiveController(nodeId, machine.publisher(),
                records -> MetadataStateMachine.append(quorum.get(), records), System::currentTimeMillis, sessionTimeoutMs,
                settings.requestTimeout().toMillis(), proposedClusterId, controllerConfig));
        try {
            quorum.set(RaftQuorum.start(nodeId, voters, storageDir, settings, stateMachine));
            stateMachine.attach(quorum.get());
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
        return new QuorumMetadataNode(nodeId, quorum.get(), stateMachine, null, stateMachine.publisher(), QuorumClient.connect(voters, settings), null, timer);
    }

    /** Starts a broker that does not vote: it follows the quorum of {@code voters}. */
    public static QuorumMetadataNode startObserver(int nodeId, List<QuorumVoter> voters, QuorumSettings settings) {
        MetadataPublisher publisher = new MetadataPublisher(io.runnel.metadata.MetadataImage.EMPTY);
        QuorumClient fetchClient = QuorumClient.connect(voters, settings);
        MetadataFetcher fetcher = new MetadataFetcher(fetchClient, publisher, nodeId);
        return new QuorumMetadataNode(nodeId, null, null, fetcher, publisher, QuorumClient.connect(voters, settings), fetchClient, timer(nodeId));
    }

    private static ScheduledExecutorService timer(int nodeId) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "runnel-metadata-timer-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public MetadataPublisher publisher() {
        return publisher;
    }

    @Override
    public ControllerChannel controller() {
        return channel;
    }

    @Override
    public OptionalInt activeControllerId() {
        int leader = quorum != null ? quorum.leaderId().orElse(-1) : fetcher.leaderId();
        return leader >= 0 ? OptionalInt.of(leader) : OptionalInt.empty();
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    /** The leader answers from its own view; any other node asks it through the quorum (only the leader knows each replica's progress). */
    @Override
    public CompletableFuture<QuorumStatus> quorumStatus() {
        if (quorum != null && quorum.isLeader()) {
            try {
                return CompletableFuture.completedFuture(stateMachine.status());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return commandClient.send(QuorumMessages.status()).thenApply(QuorumMetadataNode::readStatus);
    }

    private static QuorumStatus readStatus(byte[] answer) {
        try {
            return QuorumMessages.readStatusAnswer(answer);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable quorum status answer", e);
        }
    }

    @Override
    public OptionalLong committedOffset() {
        return quorum == null ? OptionalLong.empty() : OptionalLong.of(quorum.commitIndex());
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
        }
        if (stateMachine != null) {
            stateMachine.close();
        }
        commandClient.close();
        if (fetchClient != null) {
            fetchClient.close();
        }
        publisher.close();
        if (quorum != null) {
            quorum.close();
        }
        timer.shutdownNow();
    }
}
