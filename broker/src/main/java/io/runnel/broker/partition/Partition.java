package io.runnel.broker.partition;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.storage.epoch.EpochEndOffset;
import io.runnel.storage.log.AppendResult;
import io.runnel.storage.log.FetchIsolation;
import io.runnel.storage.log.FetchSlice;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.TxnMarker;
import io.runnel.storage.producer.VerificationGuard;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition this broker holds a replica of: its log, the leadership the controller decided, and, while
 * this broker leads it, the replication state (followers' progress, ISR, high watermark) kept by Kafka's
 * rules. The one owner of the partition's replication: produce, the group coordinator, follower fetches
 * and the replica fetcher all go through it. Thread-safe: registration and ISR changes are serialized
 * on the partition's lock; appends and reads go to the log, which serializes appends itself, and a
 * leader's append holds the leadership lock shared, so no new registration comes between its leadership
 * check and its write. Callbacks to the {@link ReplicationContext} are made without the locks held.
 */
public final class Partition {

    private static final Logger log = LoggerFactory.getLogger(Partition.class);

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog partitionLog;
    private final int localId;
    private final ReplicationContext context;
    private volatile PartitionRegistration registration;
    private volatile int minInsyncReplicas;
    private volatile boolean leader;
    /** The size of the ISR the high watermark waits for (committed ISR, or larger while a change is in flight). */
    private volatile int maximalIsrSize;
    /** Where this broker's leader epoch starts in its log while it leads (Kafka's leaderEpochStartOffsetOpt), else -1. */
    private volatile long leaderEpochStartOffset = -1;
    /** Present while this broker leads the partition; guarded by this. */
    private ReplicaTracker tracker;
    /**
     * Kafka's leaderIsrUpdateLock: {@link #update} holds it exclusively, leader appends shared, so an
     * append never lands on a replica that has stopped leading (or at an epoch it has left). Taken before
     * the monitor, never inside it.
     */
    private final ReentrantReadWriteLock leaderIsrUpdateLock = new ReentrantReadWriteLock();
    /** An ISR change in flight that the controller did not answer for sure, to propose again; guarded by this. */
    private IsrProposal unanswered;

    /** The answers that say the controller did not make an ISR change (Kafka's AlterPartition rules). */
    private static final Set<Errors> NOT_MADE = Set.of(Errors.INELIGIBLE_REPLICA, Errors.INVALID_REQUEST, Errors.OPERATION_NOT_ATTEMPTED);

    /** A replica on broker {@code localId}, not yet told its registration (see {@link #update}). */
    Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog partitionLog, int localId, ReplicationContext context,
              PartitionRegistration registration) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.partitionLog = partitionLog;
        this.localId = localId;
        this.context = context;
        this.registration = registration;
        this.maximalIsrSize = registration.isr().size();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    /** The partition's log. Appends go through {@link #appendAsLeader} or the replica fetcher, never to the log directly. */
    public PartitionLog log() {
        return partitionLog;
    }

    /** Its replicas, ISR, leader and epochs, as the controller last recorded them. */
    public PartitionRegistration registration() {
        return registration;
    }

    /** The topic's {@code min.insync.replicas}. */
    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /** Whether this broker leads the partition. */
    public boolean leader() {
        return leader;
    }

    /** The current leader epoch. */
    public int leaderEpoch() {
        return registration.leaderEpoch();
    }

    /**
     * Whether this leader's high watermark is still below the start of its leader epoch: just elected, it
     * does not know yet how far the previous leader's records were replicated, so it cannot tell the
     * latest offsets (Kafka's OFFSET_NOT_AVAILABLE for ListOffsets).
     */
    public boolean highWatermarkBehindEpochStart() {
        return leaderEpochStartOffset > partitionLog.highWatermark();
    }

    /** The in-sync replica count, as the controller last recorded it. */
    public int inSyncReplicaCount() {
        return registration.isr().size();
    }

    /**
     * Kafka's answer to a client that names the leader epoch it believes current: none if it names
     * none (below 0) or this one; UNKNOWN_LEADER_EPOCH if it has heard of a newer leader than this
     * broker (it should retry); FENCED_LEADER_EPOCH if its epoch is stale (it should refresh metadata).
     */
    public Errors checkLeaderEpoch(int clientLeaderEpoch) {
        int leaderEpoch = leaderEpoch();
        if (clientLeaderEpoch < 0 || clientLeaderEpoch == leaderEpoch) {
            return Errors.NONE;
        }
        return clientLeaderEpoch > leaderEpoch ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH;
    }

    /**
     * Takes a new registration: a replica elected leader records its new epoch at its log end and
     * starts tracking followers; a leader that stays leader takes replica and ISR changes; a follower
     * forgets leader state. With one replica the log moves its own high watermark; with more, only
     * this partition does. Called on the metadata thread.
     *
     * @return whether this broker leads the partition now
     */
    boolean update(PartitionRegistration next, int minIsr) {
        boolean moved;
        leaderIsrUpdateLock.writeLock().lock();
        try {
            moved = updateLocked(next, minIsr);
        } finally {
            leaderIsrUpdateLock.writeLock().unlock();
        }
        announceIfMoved(moved);
        return leader;
    }

    private boolean updateLocked(PartitionRegistration next, int minIsr) {
        synchronized (this) {
            PartitionRegistration previous = registration;
            boolean wasLeader = leader;
            registration = next;
            minInsyncReplicas = minIsr;
            boolean replicated = next.replicas().size() > 1;
            if (partitionLog.isHighWatermarkManagedExternally() != replicated) {
                partitionLog.setHighWatermarkManagedExternally(replicated);
            }
            leader = next.leader() == localId;
            if (leader && (!wasLeader || tracker == null || next.leaderEpoch() != previous.leaderEpoch())) {
                long epochStart = partitionLog.logEndOffset();
                partitionLog.assignEpochStartOffset(next.leaderEpoch(), epochStart);
                tracker = new ReplicaTracker(localId, next, epochStart, context.nowMs());
                leaderEpochStartOffset = epochStart;
            } else if (leader) {
                tracker.update(next, context.nowMs());
            } else {
                tracker = null;
                leaderEpochStartOffset = -1;
            }
            maximalIsrSize = tracker != null ? tracker.isrState().maximalIsr().size() : next.isr().size();
            return leader && advanceHighWatermarkLocked();
        }
    }

    /**
     * Appends a producer's batches as leader. With acks=all the ISR must have at least
     * {@code min.insync.replicas} members first (NOT_ENOUGH_REPLICAS otherwise, nothing appended); the
     * caller then waits for {@link #replicationError} to say the records are replicated. Leadership is
     * checked with the append, as one step that no {@link #update} can come between: a caller that found
     * this broker leading may have been overtaken by a registration that made it a follower.
     *
     * @throws ApiException Kafka's error for a write that cannot be appended (NOT_LEADER_OR_FOLLOWER if
     *     this broker does not lead the partition now)
     */
    public AppendResult appendAsLeader(ByteBuffer batches, boolean acksAll) {
        return appendAsLeader(batches, acksAll, AppendOrigin.CLIENT, VerificationGuard.NONE, TxnMarker.UNKNOWN_TRANSACTION_VERSION);
    }

    /**
     * {@link #appendAsLeader(ByteBuffer, boolean)} by the rules of {@code origin}: a coordinator's
     * transactional batches and markers ({@link AppendOrigin#COORDINATOR}, markers checked at
     * {@code markerTxnVersion}), or a client's batch carrying the guard of its verification.
     */
    public AppendResult appendAsLeader(ByteBuffer batches, boolean acksAll, AppendOrigin origin, VerificationGuard guard, short markerTxnVersion) {
        AppendResult appended;
        leaderIsrUpdateLock.readLock().lock();
        try {
            PartitionRegistration current = registration;
            if (!leader) {
                throw new NotLeaderOrFollowerException("Broker " + localId + " does not lead " + topicPartition + " at leader epoch "
                        + current.leaderEpoch() + " (leader " + current.leader() + ")");
            }
            if (acksAll && current.isr().size() < minInsyncReplicas) {
                throw new NotEnoughReplicasException("The size of the current ISR " + current.isr() + " is insufficient to satisfy the min.isr "
                        + "requirement of " + minInsyncReplicas + " for partition " + topicPartition);
            }
            appended = partitionLog.appendAsLeader(batches, current.leaderEpoch(), origin, guard, markerTxnVersion);
        } finally {
            leaderIsrUpdateLock.readLock().unlock();
        }
        advanceHighWatermark();
        return appended;
    }

    /**
     * Whether records appended at {@code appendedLeaderEpoch} up to {@code requiredOffset} (exclusive)
     * are replicated: NONE once the high watermark passed them with enough replicas in sync,
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND if it passed them with too few (Kafka's rule),
     * NOT_LEADER_OR_FOLLOWER if leadership moved since the append, empty while they wait.
     */
    public Optional<Errors> replicationError(long requiredOffset, int appendedLeaderEpoch) {
        if (!leader || registration.leaderEpoch() != appendedLeaderEpoch) {
            return Optional.of(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (partitionLog.highWatermark() < requiredOffset) {
            return Optional.empty();
        }
        return Optional.of(maximalIsrSize >= minInsyncReplicas ? Errors.NONE : Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    }

    /**
     * A follower's fetch, as its leader serves it: checks that the follower is a replica and whether its
     * log diverged (its last fetched epoch ends earlier here), reads up to the log end, then counts the
     * fetch offset as the follower's log end, which may add it to the ISR and move the high watermark.
     */
    public ReplicaRead readForFollower(int replicaId, long replicaEpoch, long fetchOffset, int lastFetchedEpoch, int maxBytes, boolean minOneMessage) {
        if (!leader) {
            return ReplicaRead.failed(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (!registration.replicas().contains(replicaId) || replicaId == localId) {
            log.debug("Fetch of {} from broker {}, not a replica of it", topicPartition, replicaId);
            return ReplicaRead.failed(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (lastFetchedEpoch >= 0) {
            EpochEndOffset epochEnd = partitionLog.endOffsetForEpoch(lastFetchedEpoch);
            if (epochEnd.leaderEpoch() < lastFetchedEpoch || epochEnd.endOffset() < fetchOffset) {
                return new ReplicaRead(Errors.NONE, FetchSlice.empty(), partitionLog.highWatermark(), partitionLog.logStartOffset(),
                        epochEnd.leaderEpoch(), epochEnd.endOffset());
            }
        }
        long leaderLogEnd = partitionLog.logEndOffset();
        FetchSlice records = partitionLog.read(fetchOffset, maxBytes, minOneMessage, FetchIsolation.LOG_END);
        onFollowerFetch(replicaId, replicaEpoch, fetchOffset, leaderLogEnd);
        return new ReplicaRead(Errors.NONE, records, partitionLog.highWatermark(), partitionLog.logStartOffset(), -1, -1);
    }

    private void onFollowerFetch(int replicaId, long replicaEpoch, long fetchOffset, long leaderLogEnd) {
        boolean moved;
        IsrProposal expansion = null;
        synchronized (this) {
            if (tracker == null) {
                return;
            }
            tracker.onFollowerFetch(replicaId, replicaEpoch, fetchOffset, leaderLogEnd, context.nowMs());
            Optional<Integer> joining = tracker.expansionCandidate(partitionLog.highWatermark(), this::isEligible);
            if (joining.isPresent()) {
                IsrState.PendingExpand pending = new IsrState.PendingExpand(tracker.isrState().isr(), joining.get());
                expansion = propose(pending, pending.proposed());
                log.info("Expanding the ISR of {} from {} to {}", topicPartition, pending.isr(), pending.proposed());
            }
            moved = advanceHighWatermarkLocked();
        }
        send(expansion);
        announceIfMoved(moved);
    }

    /** Drops from the ISR the followers that have not caught up for {@code replica.lag.time.max.ms}. Called periodically. */
    public void maybeShrinkIsr() {
        IsrProposal shrink = null;
        synchronized (this) {
            if (tracker == null) {
                return;
            }
            IsrProposal retry = unanswered;
            unanswered = null;
            if (retry != null && isInFlight(retry)) {
                log.info("Proposing the ISR change of {} to {} again: the controller did not say whether it made it", topicPartition, retry.brokerIds());
                shrink = retry;
            }
            List<Integer> outOfSync = tracker.outOfSyncReplicas(partitionLog.logEndOffset(), context.nowMs(), context.replicaLagTimeMaxMs());
            if (shrink == null && !outOfSync.isEmpty()) {
                IsrState.PendingShrink pending = new IsrState.PendingShrink(tracker.isrState().isr(), outOfSync);
                shrink = propose(pending, pending.proposed());
                log.info("Shrinking the ISR of {} from {} to {}: {} did not catch up within {} ms (log end {}, high watermark {})", topicPartition,
                        pending.isr(), pending.proposed(), outOfSync, context.replicaLagTimeMaxMs(), partitionLog.logEndOffset(),
                        partitionLog.highWatermark());
            }
        }
        send(shrink);
    }

    private IsrProposal propose(IsrState pending, List<Integer> newIsr) {
        tracker.proposed(pending);
        maximalIsrSize = pending.maximalIsr().size();
        List<IsrProposal.Member> members = new ArrayList<>(newIsr.size());
        for (int member : newIsr) {
            members.add(new IsrProposal.Member(member, member == localId ? context.localBrokerEpoch() : tracker.brokerEpoch(member)));
        }
        return new IsrProposal(topicId, topicPartition.partition(), registration.leaderEpoch(), tracker.partitionEpoch(), members);
    }

    private void send(IsrProposal proposal) {
        if (proposal != null) {
            context.proposeIsrChange(this, proposal);
        }
    }

    /** The controller committed {@code proposal} as {@code committed}. Any thread. */
    public void onIsrChangeCommitted(IsrProposal proposal, PartitionRegistration committed) {
        boolean moved = false;
        synchronized (this) {
            if (tracker != null && committed.leaderEpoch() == registration.leaderEpoch()) {
                tracker.committed(committed);
                if (committed.partitionEpoch() > registration.partitionEpoch()) {
                    registration = committed;
                }
                maximalIsrSize = tracker.isrState().maximalIsr().size();
                moved = advanceHighWatermarkLocked();
            }
        }
        announceIfMoved(moved);
    }

    /**
     * The controller refused {@code proposal}, or no answer came. As in Kafka, only an answer saying the
     * change was not made ends it: after INELIGIBLE_REPLICA, INVALID_REQUEST or OPERATION_NOT_ATTEMPTED the
     * committed ISR stands and may be proposed to again. Any other error leaves the change in flight,
     * because the controller may have made it (a timeout, or this broker's image not reaching it in time) or
     * has moved the partition on (FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, ...): a replica it adds keeps
     * counting for the high watermark until a registration newer than the proposal's tells, and the change
     * is proposed again at the next ISR check meanwhile. Any thread.
     */
    public void onIsrChangeRefused(IsrProposal proposal, Errors error) {
        synchronized (this) {
            if (tracker == null || proposal.leaderEpoch() != registration.leaderEpoch()) {
                return;
            }
            if (NOT_MADE.contains(error)) {
                log.info("The controller refused the ISR change of {} to {}: {}", topicPartition, proposal.brokerIds(), error);
                tracker.refused();
                maximalIsrSize = tracker.isrState().maximalIsr().size();
            } else if (isInFlight(proposal)) {
                log.info("The ISR change of {} to {} is unanswered ({}): it stays in flight until a registration tells whether it was made",
                        topicPartition, proposal.brokerIds(), error);
                unanswered = proposal;
            }
        }
    }

    /** Whether {@code proposal} is the change in flight now. Lock held. */
    private boolean isInFlight(IsrProposal proposal) {
        return tracker.isrState().inFlight() && tracker.partitionEpoch() == proposal.partitionEpoch()
                && proposal.leaderEpoch() == registration.leaderEpoch();
    }

    /** The followers' view for tests and tools: a follower's log end as of its last fetch, -1 if unknown or not leading. */
    public synchronized long followerLogEndOffset(int replicaId) {
        return tracker == null ? -1 : tracker.followerLogEndOffset(replicaId);
    }

    private boolean isEligible(int brokerId) {
        return context.isIsrEligible(brokerId, tracker.brokerEpoch(brokerId));
    }

    /** Moves the high watermark up if the ISR allows; tells the context outside the lock. */
    private void advanceHighWatermark() {
        if (!partitionLog.isHighWatermarkManagedExternally()) {
            // One replica: the log moved it with the append. Waiters still need the news.
            context.onHighWatermarkMoved(topicPartition);
            return;
        }
        // Followers waiting at the log end fetch the append now; consumers wait for the high watermark.
        context.onLeaderLogAppended(topicPartition);
        boolean moved;
        synchronized (this) {
            moved = leader && advanceHighWatermarkLocked();
        }
        announceIfMoved(moved);
    }

    private boolean advanceHighWatermarkLocked() {
        if (tracker == null || !partitionLog.isHighWatermarkManagedExternally()) {
            return false;
        }
        Optional<Long> allowed = tracker.highWatermark(partitionLog.logEndOffset(), minInsyncReplicas, context.nowMs(),
                context.replicaLagTimeMaxMs(), this::isEligible);
        if (allowed.isEmpty()) {
            return false;
        }
        long before = partitionLog.highWatermark();
        return partitionLog.updateHighWatermark(allowed.get()) > before;
    }

    private void announceIfMoved(boolean moved) {
        if (moved) {
            context.onHighWatermarkMoved(topicPartition);
        }
    }

    // ---- follower side: the replica fetcher's calls ----

    /**
     * Appends batches fetched from the leader at {@code fetchedAtLeaderEpoch}, as it numbered them, then
     * takes the leader's high watermark (as far as this log reaches) and log start offset. A fetch answer
     * is cut at the fetch size, so its last batch may be partial: it is dropped, as Kafka's follower
     * does, and fetched whole next time (refusing the whole answer would ask for the same cut again, for
     * ever). An answer to a fetch made at another epoch, or reaching a replica that leads now, is
     * dropped: see {@link #followsAt}.
     *
     * @return whether the answer was applied
     */
    public boolean appendFromLeader(int fetchedAtLeaderEpoch, ByteBuffer batches, long leaderHighWatermark, long leaderLogStartOffset) {
        leaderIsrUpdateLock.readLock().lock();
        try {
            if (!followsAt(fetchedAtLeaderEpoch)) {
                return false;
            }
            ByteBuffer whole = wholeBatches(batches);
            if (whole.hasRemaining()) {
                partitionLog.appendAsFollower(whole);
            }
            partitionLog.updateHighWatermark(Math.min(leaderHighWatermark, partitionLog.logEndOffset()));
            if (leaderLogStartOffset > partitionLog.logStartOffset() && leaderLogStartOffset <= partitionLog.highWatermark()) {
                partitionLog.advanceLogStartOffset(leaderLogStartOffset);
            }
            return true;
        } finally {
            leaderIsrUpdateLock.readLock().unlock();
        }
    }

    /**
     * Whether this replica still follows at {@code leaderEpoch}; called under the read lock, so no
     * {@link #update} comes between the check and what the caller does. The fetcher checks the same
     * before it applies an answer, but the metadata thread may make this replica leader in between:
     * an old leader's records appended after this replica assigned its new epoch at its log end would
     * sit under that epoch with an older epoch of their own, and every follower, told it diverged at
     * the older epoch, would truncate them and fetch them again, for ever (seed 887 of the replication
     * simulation). Kafka's fetcher rules this out with the lock its leadership changes take.
     */
    private boolean followsAt(int leaderEpoch) {
        return !leader && registration.leaderEpoch() == leaderEpoch;
    }

    /** The whole batches at the start of {@code batches} (position to limit), without a partial one at the end. */
    private static ByteBuffer wholeBatches(ByteBuffer batches) {
        int end = batches.position();
        while (batches.limit() - end >= Records.LOG_OVERHEAD) {
            int size = Records.LOG_OVERHEAD + batches.getInt(end + Records.SIZE_OFFSET);
            if (size <= Records.LOG_OVERHEAD || batches.limit() - end < size) {
                break;
            }
            end += size;
        }
        ByteBuffer whole = batches.duplicate();
        whole.limit(end);
        return whole;
    }

    /**
     * Cuts this follower's log where it diverges from the leader's, as Kafka does: to the end of the
     * leader's diverging epoch, or earlier if this log's own epoch there ends earlier; with no epoch to
     * compare, to the high watermark.
     *
     * @return the offset the log ends at now (unchanged if the answer came for another epoch, see {@link #followsAt})
     */
    public long truncateOnDivergence(int fetchedAtLeaderEpoch, int leaderEpoch, long leaderEpochEndOffset) {
        leaderIsrUpdateLock.readLock().lock();
        try {
            return followsAt(fetchedAtLeaderEpoch) ? truncateLocked(leaderEpoch, leaderEpochEndOffset) : partitionLog.logEndOffset();
        } finally {
            leaderIsrUpdateLock.readLock().unlock();
        }
    }

    private long truncateLocked(int leaderEpoch, long leaderEpochEndOffset) {
        long logEnd = partitionLog.logEndOffset();
        long target;
        if (leaderEpoch < 0 || leaderEpochEndOffset < 0) {
            target = partitionLog.highWatermark();
        } else {
            EpochEndOffset own = partitionLog.endOffsetForEpoch(leaderEpoch);
            if (own.endOffset() < 0) {
                target = Math.min(leaderEpochEndOffset, logEnd);
            } else if (own.leaderEpoch() != leaderEpoch) {
                target = Math.min(own.endOffset(), logEnd);
            } else {
                target = Math.min(leaderEpochEndOffset, own.endOffset());
            }
        }
        target = Math.max(target, partitionLog.logStartOffset());
        if (partitionLog.truncateTo(target)) {
            log.info("Truncated {} from {} to {}: it diverged from the leader's log at epoch {} (which ends at {} there)", topicPartition, logEnd,
                    target, leaderEpoch, leaderEpochEndOffset);
        }
        return partitionLog.logEndOffset();
    }

    @Override
    public String toString() {
        return "Partition(" + topicPartition + ", leader " + registration.leader() + " epoch " + registration.leaderEpoch() + ", isr "
                + registration.isr() + ")";
    }
}
