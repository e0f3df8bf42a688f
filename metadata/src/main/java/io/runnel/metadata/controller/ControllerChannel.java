package io.runnel.metadata.controller;

import java.util.concurrent.CompletableFuture;

/**
 * Where a node sends commands for the active controller, wherever it runs: in this process on a node
 * alone, through the metadata quorum in a cluster. Thread-safe.
 */
@FunctionalInterface
public interface ControllerChannel {

    /**
     * Sends a command. The future fails with Kafka's {@link org.apache.kafka.common.errors.ApiException}
     * for a refused command, and with NOT_CONTROLLER or REQUEST_TIMED_OUT when no controller answered.
     */
    CompletableFuture<Committed> send(ControllerCommand command);
}
