package io.runnel.broker.partition;

import io.runnel.metadata.PartitionRegistration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * A partition leader's view of its followers, Kafka's rules without I/O: how far each follower's log
 * reaches (from the offsets it fetches at), when it last caught up, the ISR with any change in flight,
 * and from these the high watermark, the replicas to add to the ISR and those to drop from it. Pure
 * and deterministic (time comes in as arguments), so the seeded simulation drives it as the broker
 * does. Not thread-safe: its {@link Partition} calls it under its lock.
 */
final class ReplicaTracker {

    /** What the leader knows of one follower. */
    private static final class Follower {
        /** Unknown (-1) until the follower fetches from this leader. */
        long logEndOffset = -1;
        long lastCaughtUpTimeMs;
        long lastFetchLeaderLogEndOffset;
        long lastFetchTimeMs;
        long brokerEpoch = -1;
    }

    private final int localId;
    private final Map<Integer, Follower> followers = new HashMap<>();
    private final long leaderEpochStartOffset;
    private IsrState isrState;
    private int partitionEpoch;

    /**
     * The tracker of a leader elected with {@code registration}, whose log ended at
     * {@code leaderEpochStartOffset} then. Followers in the ISR count as caught up now, so they are
     * not dropped before they had time to fetch from the new leader.
     */
    ReplicaTracker(int localId, PartitionRegistration registration, long leaderEpochStartOffset, long nowMs) {
        this.localId = localId;
        this.leaderEpochStartOffset = leaderEpochStartOffset;
        this.isrState = new IsrState.Committed(List.copyOf(registration.isr()));
        this.partitionEpoch = registration.partitionEpoch();
        addFollowers(registration, nowMs);
    }

    /**
     * Takes a registration of the same leader epoch: replicas added or removed (a reassignment), and
     * an ISR the controller committed (which ends a change in flight, whoever made it).
     */
    void update(PartitionRegistration registration, long nowMs) {
        followers.keySet().retainAll(registration.replicas());
        addFollowers(registration, nowMs);
        if (registration.partitionEpoch() > partitionEpoch || !isrState.inFlight()) {
            isrState = new IsrState.Committed(List.copyOf(registration.isr()));
            partitionEpoch = Math.max(partitionEpoch, registration.partitionEpoch());
        }
    }

    private void addFollowers(PartitionRegistration registration, long nowMs) {
        for (int replica : registration.replicas()) {
            if (replica != localId && !followers.containsKey(replica)) {
                Follower follower = new Follower();
                follower.lastCaughtUpTimeMs = registration.isr().contains(replica) ? nowMs : 0;
                followers.put(replica, follower);
            }
        }
    }

    /** Whether {@code replicaId} is a follower of this partition. */
    boolean isFollower(int replicaId) {
        return followers.containsKey(replicaId);
    }

    /**
     * Records a fetch of {@code replicaId} at {@code fetchOffset} (so its log ends there) while the
     * leader's log ended at {@code leaderLogEndOffset}: Kafka's rule for when a follower last caught up
     * is that it fetched at the leader's log end, or at least at the log end of its previous fetch.
     */
    void onFollowerFetch(int replicaId, long brokerEpoch, long fetchOffset, long leaderLogEndOffset, long nowMs) {
        Follower follower = followers.get(replicaId);
        if (follower == null) {
            return;
        }
        if (fetchOffset >= leaderLogEndOffset) {
            follower.lastCaughtUpTimeMs = Math.max(follower.lastCaughtUpTimeMs, nowMs);
        } else if (fetchOffset >= follower.lastFetchLeaderLogEndOffset) {
            follower.lastCaughtUpTimeMs = Math.max(follower.lastCaughtUpTimeMs, follower.lastFetchTimeMs);
        }
        follower.logEndOffset = fetchOffset;
        follower.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
        follower.lastFetchTimeMs = nowMs;
        if (brokerEpoch >= 0) {
            follower.brokerEpoch = brokerEpoch;
        }
    }

    /**
     * The high watermark the ISR allows now: the smallest log end among the leader and the maximal
     * ISR, and among followers caught up and eligible that are about to join it; empty while the
     * committed ISR is smaller than {@code minInsyncReplicas} (KIP-966: the high watermark then stays).
     */
    Optional<Long> highWatermark(long leaderLogEndOffset, int minInsyncReplicas, long nowMs, long lagTimeMs, IntPredicate eligible) {
        if (isrState.isr().size() < minInsyncReplicas) {
            return Optional.empty();
        }
        List<Integer> maximalIsr = isrState.maximalIsr();
        long highWatermark = leaderLogEndOffset;
        for (Map.Entry<Integer, Follower> entry : followers.entrySet()) {
            Follower follower = entry.getValue();
            boolean waitFor = maximalIsr.contains(entry.getKey())
                    || (isCaughtUp(follower, leaderLogEndOffset, nowMs, lagTimeMs) && eligible.test(entry.getKey()));
            if (waitFor && follower.logEndOffset < highWatermark) {
                highWatermark = follower.logEndOffset;
            }
        }
        return Optional.of(highWatermark);
    }

    /**
     * A follower to add to the ISR, if one qualifies and no change is in flight: it is not in the ISR,
     * its log reaches the high watermark and the start of the current leader epoch, and it is eligible
     * (an active broker, with the epoch the metadata has).
     */
    Optional<Integer> expansionCandidate(long highWatermark, IntPredicate eligible) {
        if (isrState.inFlight()) {
            return Optional.empty();
        }
        for (Map.Entry<Integer, Follower> entry : followers.entrySet()) {
            long logEnd = entry.getValue().logEndOffset;
            if (!isrState.isr().contains(entry.getKey()) && logEnd >= highWatermark && logEnd >= leaderEpochStartOffset
                    && eligible.test(entry.getKey())) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    /** The ISR members that have not caught up within {@code lagTimeMs}, if no change is in flight. */
    List<Integer> outOfSyncReplicas(long leaderLogEndOffset, long nowMs, long lagTimeMs) {
        List<Integer> outOfSync = new ArrayList<>();
        if (isrState.inFlight()) {
            return outOfSync;
        }
        for (int member : isrState.isr()) {
            Follower follower = followers.get(member);
            if (member != localId && follower != null && !isCaughtUp(follower, leaderLogEndOffset, nowMs, lagTimeMs)) {
                outOfSync.add(member);
            }
        }
        return outOfSync;
    }

    private static boolean isCaughtUp(Follower follower, long leaderLogEndOffset, long nowMs, long lagTimeMs) {
        return follower.logEndOffset >= leaderLogEndOffset || nowMs - follower.lastCaughtUpTimeMs <= lagTimeMs;
    }

    /** Marks a change as proposed to the controller. */
    void proposed(IsrState pending) {
        isrState = pending;
    }

    /** The controller committed a change: its registration is the new state, if newer than what is known. */
    void committed(PartitionRegistration registration) {
        if (registration.partitionEpoch() >= partitionEpoch) {
            isrState = new IsrState.Committed(List.copyOf(registration.isr()));
            partitionEpoch = registration.partitionEpoch();
        }
    }

    /** The controller refused a change (or could not be reached): back to the committed ISR. */
    void refused() {
        isrState = new IsrState.Committed(isrState.isr());
    }

    IsrState isrState() {
        return isrState;
    }

    int partitionEpoch() {
        return partitionEpoch;
    }

    /** The broker epoch a follower last fetched with, or -1. */
    long brokerEpoch(int replicaId) {
        Follower follower = followers.get(replicaId);
        return follower == null ? -1 : follower.brokerEpoch;
    }

    /** The log end offset of a follower as of its last fetch, or -1 if it is not a follower. */
    long followerLogEndOffset(int replicaId) {
        Follower follower = followers.get(replicaId);
        return follower == null ? -1 : follower.logEndOffset;
    }
}
