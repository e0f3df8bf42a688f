package io.runnel.metadata.controller;

/**
 * The static broker configs the active controller falls back to (from the {@code server.properties} of
 * the node that runs it) where neither a topic's override nor the cluster's dynamic default sets them,
 * and its own duties; Kafka's names and defaults. Immutable.
 *
 * @param minInsyncReplicas {@code min.insync.replicas} (1): below it, replicas that leave the ISR become eligible leaders (KIP-966)
 * @param uncleanLeaderElectionEnable {@code unclean.leader.election.enable} (false): elect any live replica when no
 *     in-sync or eligible one is, losing the records only they had
 * @param autoLeaderRebalanceEnable {@code auto.leader.rebalance.enable} (true): move leadership back to preferred replicas
 * @param leaderImbalanceCheckIntervalMs {@code leader.imbalance.check.interval.seconds} (300), in ms: how often
 * @param leaderImbalancePerBrokerPercentage {@code leader.imbalance.per.broker.percentage} (10): the share of a broker's
 *     preferred partitions another broker may lead before they are moved back
 */
public record ControllerConfig(int minInsyncReplicas, boolean uncleanLeaderElectionEnable, boolean autoLeaderRebalanceEnable,
                               long leaderImbalanceCheckIntervalMs, int leaderImbalancePerBrokerPercentage) {

    /** Kafka's {@code leader.imbalance.check.interval.seconds}, in ms. */
    public static final long DEFAULT_LEADER_IMBALANCE_CHECK_INTERVAL_MS = 300_000;
    /** Kafka's {@code leader.imbalance.per.broker.percentage}. */
    public static final int DEFAULT_LEADER_IMBALANCE_PER_BROKER_PERCENTAGE = 10;

    /** These replication defaults, with Kafka's leader rebalancing. */
    public ControllerConfig(int minInsyncReplicas, boolean uncleanLeaderElectionEnable) {
        this(minInsyncReplicas, uncleanLeaderElectionEnable, true, DEFAULT_LEADER_IMBALANCE_CHECK_INTERVAL_MS,
                DEFAULT_LEADER_IMBALANCE_PER_BROKER_PERCENTAGE);
    }

    /** Kafka's defaults. */
    public static ControllerConfig defaults() {
        return new ControllerConfig(1, false);
    }
}
