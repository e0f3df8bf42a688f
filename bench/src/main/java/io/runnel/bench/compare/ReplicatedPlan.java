package io.runnel.bench.compare;

import java.time.Duration;

/**
 * The loads of one system's turn in the replicated comparison.
 *
 * @param partitions partitions of every topic (replication factor 3, {@code min.insync.replicas=2})
 * @param producers producers of the throughput load, each with a sender thread
 * @param recordSize bytes of every record's value
 * @param warmUp unmeasured produce before the throughput window
 * @param throughputWindow the measured throughput window
 * @param latencyRate records per second of the latency load
 * @param latencyWarmUp unmeasured seconds at the start of the latency load
 * @param latencyWindow measured seconds of the latency load
 * @param kills leader kills, each followed by a restart of the killed node
 * @param probeInterval how often the failover probe sends to each partition
 * @param failoverTimeout how long a partition may take to be acknowledged again before it counts as not recovered
 * @param settleTimeout how long to wait for every replica to be in sync (after creating a topic, after a restart)
 */
record ReplicatedPlan(int partitions, int producers, int recordSize, Duration warmUp, Duration throughputWindow,
                      double latencyRate, Duration latencyWarmUp, Duration latencyWindow, int kills,
                      Duration probeInterval, Duration failoverTimeout, Duration settleTimeout) {

    static final short REPLICATION_FACTOR = 3;
    static final int MIN_INSYNC_REPLICAS = 2;
}
