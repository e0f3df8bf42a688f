package io.runnel.metadata.quorum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * A voter: runs an embedded Ratis server (Netty transport) for one node of the quorum, replicating opaque
 * entries into a {@link QuorumStateMachine}. Storage lives under the given directory and survives restarts
 * (fixed group and peer ids); a fresh directory is formatted on first start.
 *
 * <p>Thread-safe: every method may be called from any thread. Futures complete on Ratis threads; callers that
 * do more than hand the result over should move to their own executor.
 */
public final class RaftQuorum implements AutoCloseable {

    private final int nodeId;
    private final List<QuorumVoter> voters;
    private final RaftServer server;
    private final RaftServer.Division division;
    private final ClientId appendClientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    private RaftQuorum(int nodeId, List<QuorumVoter> voters, RaftServer server) throws IOException {
        this.nodeId = nodeId;
        this.voters = voters;
        this.server = server;
        this.division = server.getDivision(RatisGroup.GROUP_ID);
    }

    /**
     * Starts voter {@code nodeId} of {@code voters}, recovering (or formatting) {@code storageDir}: restores the
     * latest snapshot into the state machine, then replays the committed log after it. Returns once the server
     * listens; the first election follows within {@link QuorumSettings#firstElectionTimeout()}.
     */
    public static RaftQuorum start(int nodeId, List<QuorumVoter> voters, Path storageDir, QuorumSettings settings,
            QuorumStateMachine stateMachine) throws IOException {
        QuorumVoter self = voters.stream().filter(v -> v.nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("node " + nodeId + " is not among the voters " + voters));
        Files.createDirectories(storageDir);
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RatisGroup.peerId(nodeId))
                .setGroup(RatisGroup.of(voters))
                .setStateMachine(new RatisStateMachine(stateMachine))
                .setProperties(RatisProperties.forVoter(self, storageDir, settings))
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        try {
            server.start();
            return new RaftQuorum(nodeId, List.copyOf(voters), server);
        } catch (IOException | RuntimeException e) {
            closeQuietly(server, e);
            throw e;
        }
    }

    /**
     * Leader only: appends an entry. Completes with its log index once it is committed and applied locally (so
     * the state machine already reflects it); fails with {@link QuorumNotLeaderException}
     * on a non-leader or if leadership is lost first, {@link QuorumUnavailableException} otherwise. The array is
     * copied.
     */
    public CompletableFuture<Long> append(byte[] entry) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(appendClientId)
                .setServerId(division.getId())
                .setGroupId(RatisGroup.GROUP_ID)
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(ByteString.copyFrom(entry)))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        try {
            return server.submitClientRequestAsync(request).handle(this::appendResult);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new QuorumUnavailableException("append failed: " + e, e));
        }
    }

    private long appendResult(RaftClientReply reply, Throwable failure) {
        if (failure != null) {
            throw new CompletionException(new QuorumUnavailableException("append failed: " + failure, failure));
        }
        if (reply.isSuccess()) {
            return RatisStateMachine.indexOf(reply.getMessage());
        }
        NotLeaderException notLeader = reply.getNotLeaderException();
        if (notLeader != null) {
            RaftPeer suggested = notLeader.getSuggestedLeader();
            OptionalInt leader = suggested == null ? OptionalInt.empty()
                    : OptionalInt.of(RatisGroup.nodeId(suggested.getId()));
            throw new CompletionException(new QuorumNotLeaderException(
                    "node " + nodeId + " is not the quorum leader", leader));
        }
        throw new CompletionException(new QuorumUnavailableException("append failed: " + reply.getException(),
                reply.getException()));
    }

    /** Whether this voter currently is the leader (it may not have applied an entry of its term yet). */
    public boolean isLeader() {
        return division.getInfo().isLeader();
    }

    /** Whether this voter is the leader and has applied an entry of its own term (see {@link QuorumStateMachine#onLeaderReady}). */
    public boolean isLeaderReady() {
        return division.getInfo().isLeaderReady();
    }

    /** The leader this voter knows of, if any. */
    public OptionalInt leaderId() {
        RaftPeerId leader = division.getInfo().getLeaderId();
        return leader == null ? OptionalInt.empty() : OptionalInt.of(RatisGroup.nodeId(leader));
    }

    /** The current term as this voter knows it. */
    public long term() {
        return division.getInfo().getCurrentTerm();
    }

    /** The last committed index as this voter knows it (a follower learns it from the leader's appends). */
    public long commitIndex() {
        return division.getRaftLog().getLastCommittedIndex();
    }

    /** This voter's node id. */
    public int nodeId() {
        return nodeId;
    }

    /**
     * For Kafka's DescribeQuorum: leader id, term, high watermark (commit index), and per voter its log end
     * (match index) and last fetch/caught-up time; per-voter progress is known on the leader only.
     */
    public QuorumStatus status() {
        return StatusSampler.sample(nodeId, voters, division, System.currentTimeMillis());
    }

    /** The first index still in the local log: entries before it were purged after a snapshot. */
    long logStartIndex() {
        return division.getRaftLog().getStartIndex();
    }

    /** Stops the server (Ratis takes a snapshot on the way down) and releases its port and storage. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new QuorumUnavailableException("closing the quorum server of node " + nodeId + " failed", e);
        }
    }

    private static void closeQuietly(RaftServer server, Exception cause) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
