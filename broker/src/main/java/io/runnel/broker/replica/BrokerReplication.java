package io.runnel.broker.replica;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.broker.partition.IsrProposal;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.Purgatory;
import io.runnel.broker.partition.ReplicationContext;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.ClusterMetadata;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Replication as this broker takes part in it: the context its partitions replicate in (time, ISR
 * eligibility from the metadata image, ISR changes sent to the controller, waiters woken when a high
 * watermark moves), the replica fetchers of the partitions it follows, and the periodic check that
 * drops lagging followers from the ISRs of the partitions it leads (every half
 * {@code replica.lag.time.max.ms}, as Kafka). Thread-safe.
 */
public final class BrokerReplication implements ReplicationContext, AutoCloseable {

    private final int localId;
    private final ClusterMetadata metadata;
    private final Clock clock;
    private final long replicaLagTimeMaxMs;
    private final ExecutorService isrAnswers;
    private final IsrChangeSender isrChanges;
    private final ReplicaFetcherManager fetchers;
    private final Purgatory fetches;
    private final Purgatory produces;
    private volatile ScheduledFuture<?> shrinkCheck;

    /**
     * The replication of broker {@code config.nodeId()} in the cluster {@code metadata} describes, sending
     * ISR changes through {@code channel} and waking {@code fetches} and {@code produces} when a high
     * watermark moves. Followers fetch from leaders on the inter-broker listener, with {@code security}.
     */
    public BrokerReplication(BrokerConfig config, InterBrokerSecurity security, String clusterId, ClusterMetadata metadata, IsrChangeChannel channel, Purgatory fetches,
                             Purgatory produces, Clock clock) {
        this.localId = config.nodeId();
        this.metadata = metadata;
        this.clock = clock;
        this.replicaLagTimeMaxMs = config.replicaLagTimeMaxMs();
        this.fetches = fetches;
        this.produces = produces;
        this.isrAnswers = Executors.newSingleThreadExecutor(new DefaultThreadFactory("runnel-isr-changes", true));
        this.isrChanges = new IsrChangeSender(localId, this::localBrokerEpoch, channel, isrAnswers);
        String listener = config.interBrokerListenerName();
        this.fetchers = new ReplicaFetcherManager(new ReplicaFetcherSettings(localId, this::localBrokerEpoch, clusterId, listener, security,
                id -> Optional.ofNullable(metadata.image().brokers().get(id)).flatMap(broker -> broker.endpoint(listener)),
                config.replicaFetchWaitMaxMs(), config.replicaFetchMinBytes(), config.replicaFetchMaxBytes(),
                config.replicaFetchResponseMaxBytes(), config.replicaFetchBackoffMs(), config.replicaSocketTimeoutMs(),
                config.replicaSocketTimeoutMs() + config.replicaFetchWaitMaxMs()));
    }

    /** Where this broker's follower partitions are fetched (give it to the {@link PartitionRegistry}). */
    public ReplicaFetcherManager fetchers() {
        return fetchers;
    }

    /** Starts the periodic ISR check of the partitions {@code partitions} holds, on {@code timer}. */
    public void startIsrChecks(PartitionRegistry partitions, ScheduledExecutorService timer) {
        long period = Math.max(1, replicaLagTimeMaxMs / 2);
        shrinkCheck = timer.scheduleAtFixedRate(() -> {
            for (Partition partition : partitions.replicas()) {
                if (partition.leader()) {
                    partition.maybeShrinkIsr();
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public long nowMs() {
        return clock.millis();
    }

    @Override
    public long replicaLagTimeMaxMs() {
        return replicaLagTimeMaxMs;
    }

    @Override
    public boolean isIsrEligible(int brokerId, long brokerEpoch) {
        BrokerRegistration broker = metadata.image().brokers().get(brokerId);
        return broker != null && broker.isActive() && (brokerEpoch < 0 || broker.epoch() == brokerEpoch);
    }

    @Override
    public long localBrokerEpoch() {
        BrokerRegistration self = metadata.image().brokers().get(localId);
        return self == null ? -1 : self.epoch();
    }

    @Override
    public void proposeIsrChange(Partition partition, IsrProposal proposal) {
        isrChanges.send(partition, proposal);
    }

    @Override
    public void onLeaderLogAppended(TopicPartition partition) {
        fetches.wake(partition);
    }

    @Override
    public void onHighWatermarkMoved(TopicPartition partition) {
        fetches.wake(partition);
        produces.wake(partition);
    }

    /** Stops the ISR checks and the replica fetchers. */
    @Override
    public void close() {
        ScheduledFuture<?> check = shrinkCheck;
        if (check != null) {
            check.cancel(false);
        }
        fetchers.close();
        isrAnswers.shutdownNow();
    }
}
