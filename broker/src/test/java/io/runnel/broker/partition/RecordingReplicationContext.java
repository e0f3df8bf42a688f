package io.runnel.broker.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * A replication context for tests: a manual clock, every broker eligible unless made ineligible, ISR
 * proposals and high watermark moves recorded for the test to answer and check. Thread-safe enough for
 * tests that drive it from one thread.
 */
public final class RecordingReplicationContext implements ReplicationContext, ReplicaFollowing {

    /** A proposal sent, with the partition that sent it. */
    public record Sent(Partition partition, IsrProposal proposal) { }

    private volatile long nowMs;
    private final long lagTimeMs;
    private final Set<Integer> ineligible = ConcurrentHashMap.newKeySet();
    private final List<Sent> proposals = new ArrayList<>();
    private final List<TopicPartition> highWatermarkMoves = new ArrayList<>();
    private final Map<TopicPartition, Integer> following = new ConcurrentHashMap<>();

    public RecordingReplicationContext(long lagTimeMs) {
        this.lagTimeMs = lagTimeMs;
        this.nowMs = 1_700_000_000_000L;
    }

    public void advance(long ms) {
        nowMs += ms;
    }

    public void makeIneligible(int brokerId) {
        ineligible.add(brokerId);
    }

    public synchronized List<Sent> takeProposals() {
        List<Sent> taken = new ArrayList<>(proposals);
        proposals.clear();
        return taken;
    }

    public synchronized List<TopicPartition> highWatermarkMoves() {
        return List.copyOf(highWatermarkMoves);
    }

    /** The leader each partition is followed from. */
    public Map<TopicPartition, Integer> following() {
        return following;
    }

    @Override
    public long nowMs() {
        return nowMs;
    }

    @Override
    public long replicaLagTimeMaxMs() {
        return lagTimeMs;
    }

    @Override
    public boolean isIsrEligible(int brokerId, long brokerEpoch) {
        return !ineligible.contains(brokerId);
    }

    @Override
    public long localBrokerEpoch() {
        return 1;
    }

    @Override
    public synchronized void proposeIsrChange(Partition partition, IsrProposal proposal) {
        proposals.add(new Sent(partition, proposal));
    }

    @Override
    public void onLeaderLogAppended(TopicPartition partition) {
    }

    @Override
    public synchronized void onHighWatermarkMoved(TopicPartition partition) {
        highWatermarkMoves.add(partition);
    }

    @Override
    public void follow(Partition partition, int leaderId, int leaderEpoch) {
        following.put(partition.topicPartition(), leaderId);
    }

    @Override
    public void unfollow(TopicPartition partition) {
        following.remove(partition);
    }
}
