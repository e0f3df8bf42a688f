package io.runnel.metadata.quorum;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts a {@link QuorumStateMachine} to Ratis. Ratis calls {@code applyTransaction}, {@code takeSnapshot} and
 * {@code reinitialize} on its single state-machine updater thread, so the layer above sees apply, snapshot and
 * restore on one thread; {@code initialize} runs on the starting thread before that thread exists.
 */
final class RatisStateMachine extends BaseStateMachine {

    private static final Logger log = LoggerFactory.getLogger(RatisStateMachine.class);

    private final QuorumStateMachine target;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

    RatisStateMachine(QuorumStateMachine target) {
        this.target = target;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            restoreLatest();
        });
    }

    /** Ratis pauses the state machine right before it publishes a snapshot installed from the leader. */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** After a snapshot was installed from the leader: load it, then run again. */
    @Override
    public void reinitialize() throws IOException {
        restoreLatest();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void restoreLatest() throws IOException {
        Optional<SnapshotFiles.Loaded> latest = SnapshotFiles.readLatest(storage);
        if (latest.isPresent()) {
            TermIndex at = latest.get().termIndex();
            log.info("Restoring quorum state from the snapshot at {}", at);
            target.restore(at.getIndex(), latest.get().bytes());
            setLastAppliedTermIndex(at);
        }
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        target.apply(index, entry.getStateMachineLogEntry().getLogData().toByteArray());
        updateLastAppliedTermIndex(entry.getTerm(), index);
        return CompletableFuture.completedFuture(indexMessage(index));
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex at = getLastAppliedTermIndex();
        if (at == null || at.getIndex() < 0) {
            return -1;
        }
        SnapshotFiles.write(storage, at, target.snapshot());
        return at.getIndex();
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        CompletableFuture<byte[]> handled;
        try {
            handled = target.handleRequest(QuorumClient.unframe(request.getContent()));
        } catch (RuntimeException e) {
            handled = CompletableFuture.failedFuture(e);
        }
        return handled.handle((reply, failure) -> {
            if (failure != null) {
                // Only a StateMachineException travels back to the client as a reply carrying our message.
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new CompletionException(new StateMachineException(String.valueOf(cause.getMessage())));
            }
            return Message.valueOf(reply == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(reply));
        });
    }

    @Override
    public void notifyLeaderReady() {
        target.onLeaderReady(currentTerm());
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        target.onLeaderChanged(RatisGroup.nodeId(newLeaderId), currentTerm());
    }

    private long currentTerm() {
        try {
            return getServer().join().getDivision(getGroupId()).getInfo().getCurrentTerm();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The reply to an append: the entry's log index as 8 bytes. */
    static Message indexMessage(long index) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(ByteBuffer.allocate(Long.BYTES).putLong(0, index)));
    }

    static long indexOf(Message message) {
        ByteString content = message.getContent();
        return content.asReadOnlyByteBuffer().getLong();
    }
}
