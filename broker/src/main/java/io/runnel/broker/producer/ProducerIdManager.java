package io.runnel.broker.producer;

import io.runnel.metadata.ClusterMetadata;

/**
 * Hands out producer ids for idempotent producers. Ids are reserved from the metadata log in blocks,
 * so a restart never reuses one and most requests cost no disk write. Thread-safe.
 */
public final class ProducerIdManager {

    private static final int BLOCK_SIZE = 1000;

    private final ClusterMetadata controller;
    private long next;
    private long blockEnd;

    /** A manager reserving its blocks through {@code controller}. */
    public ProducerIdManager(ClusterMetadata controller) {
        this.controller = controller;
    }

    /** A producer id never handed out before. */
    public synchronized long nextProducerId() {
        if (next == blockEnd) {
            next = controller.allocateProducerIds(BLOCK_SIZE);
            blockEnd = next + BLOCK_SIZE;
        }
        return next++;
    }
}
