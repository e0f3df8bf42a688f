package io.runnel.metadata.controller;

/**
 * The static broker configs the active controller falls back to (from the {@code server.properties} of
 * the node that runs it) where neither a topic's override nor the cluster's dynamic default sets them;
 * Kafka's names and defaults. Immutable.
 *
 * @param minInsyncReplicas {@code min.insync.replicas} (1): below it, replicas that leave the ISR become eligible leaders (KIP-966)
 * @param uncleanLeaderElectionEnable {@code unclean.leader.election.enable} (false): elect any live replica when no
 *     in-sync or eligible one is, losing the records only they had
 */
public record ControllerConfig(int minInsyncReplicas, boolean uncleanLeaderElectionEnable) {

    /** Kafka's defaults. */
    public static ControllerConfig defaults() {
        return new ControllerConfig(1, false);
    }
}
