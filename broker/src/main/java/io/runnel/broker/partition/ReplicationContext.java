package io.runnel.broker.partition;

import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link Partition} needs from the broker around it to replicate: time, the replica lag
 * allowance, which brokers may join an ISR, the channel to the controller for ISR changes, and whom to
 * tell when its high watermark moves. Implementations are thread-safe and never block.
 */
public interface ReplicationContext {

    /** Now, in milliseconds. */
    long nowMs();

    /** {@code replica.lag.time.max.ms}: how long a follower may go without catching up before it leaves the ISR. */
    long replicaLagTimeMaxMs();

    /**
     * Whether {@code brokerId} may join an ISR: registered, unfenced, not shutting down, and (unless
     * {@code brokerEpoch} is -1, unknown) registered with that epoch (KIP-903).
     */
    boolean isIsrEligible(int brokerId, long brokerEpoch);

    /** This broker's epoch, as the controller registered it. */
    long localBrokerEpoch();

    /**
     * Sends an ISR change to the controller; the answer comes back, on some other thread, through
     * {@link Partition#onIsrChangeCommitted} or {@link Partition#onIsrChangeRefused}.
     */
    void proposeIsrChange(Partition partition, IsrProposal proposal);

    /** The log of {@code partition}, which this broker leads, grew (followers wait for that). */
    void onLeaderLogAppended(TopicPartition partition);

    /** The high watermark of {@code partition}, which this broker leads, moved up (consumers and acks=all producers wait on it). */
    void onHighWatermarkMoved(TopicPartition partition);
}
