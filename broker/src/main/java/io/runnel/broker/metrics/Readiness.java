package io.runnel.broker.metrics;

import java.util.function.IntSupplier;

/**
 * Whether the broker is ready for traffic: it is once it serves requests, and stays so while no
 * partition's log is offline, until shutdown begins. Thread-safe.
 */
final class Readiness {

    private enum Phase { STARTING, SERVING, STOPPING }

    private volatile Phase phase = Phase.STARTING;
    private volatile IntSupplier offlinePartitions = () -> 0;

    void serving(IntSupplier offlinePartitionCount) {
        this.offlinePartitions = offlinePartitionCount;
        phase = Phase.SERVING;
    }

    void stopping() {
        phase = Phase.STOPPING;
    }

    /** Null when ready, else why not, in a few words. */
    String notReadyReason() {
        return switch (phase) {
            case STARTING -> "starting";
            case STOPPING -> "shutting down";
            case SERVING -> {
                int offline = offlinePartitions.getAsInt();
                yield offline == 0 ? null : offline + " partition(s) offline";
            }
        };
    }
}
