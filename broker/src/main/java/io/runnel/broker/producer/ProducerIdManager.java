package io.runnel.broker.producer;

import io.runnel.metadata.ClusterMetadata;
import java.util.concurrent.Executor;
import java.util.function.IntToLongFunction;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out producer ids for idempotent producers. Ids are reserved from the metadata log in blocks,
 * so a restart never reuses one and most requests cost no disk write. Thread-safe.
 *
 * <p>One caller at a time reserves a block (it waits for the controller); the others are told to retry
 * at once ({@link CoordinatorLoadInProgressException}, retriable, as Kafka's RPCProducerIdManager
 * answers) instead of waiting too: while the controller is unreachable, waiting callers would hold every
 * request handler thread, and produce and fetch for the partitions this broker leads would stop.
 */
public final class ProducerIdManager {

    private static final Logger log = LoggerFactory.getLogger(ProducerIdManager.class);
    private static final int BLOCK_SIZE = 1000;

    private final IntToLongFunction reserveBlock;
    private long next;
    private long blockEnd;
    private boolean reserving;
    /** The first id of a block reserved ahead by {@link #tryNextProducerId}, or -1. */
    private long prefetched = -1;

    /** A manager reserving its blocks through {@code controller}. */
    public ProducerIdManager(ClusterMetadata controller) {
        this(controller::allocateProducerIds);
    }

    /** A manager reserving its blocks with {@code reserveBlock}: given a count, the first id of a fresh block. */
    ProducerIdManager(IntToLongFunction reserveBlock) {
        this.reserveBlock = reserveBlock;
    }

    /**
     * A producer id never handed out before.
     *
     * @throws CoordinatorLoadInProgressException while another caller reserves the next block
     */
    public long nextProducerId() {
        synchronized (this) {
            takePrefetched();
            if (next < blockEnd) {
                return next++;
            }
            if (reserving) {
                throw new CoordinatorLoadInProgressException("Producer ids are being reserved from the controller; retry.");
            }
            reserving = true;
        }
        long first;
        try {
            first = reserveBlock.applyAsLong(BLOCK_SIZE);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                reserving = false;
            }
            throw e;
        }
        synchronized (this) {
            reserving = false;
            next = first;
            blockEnd = first + BLOCK_SIZE;
            return next++;
        }
    }

    /**
     * A producer id never handed out before, without waiting: for a thread that must never block (the
     * transaction coordinator's). When 90% of the current block is used the next one is reserved on
     * {@code reserver}, as Kafka's RPCProducerIdManager does.
     *
     * @throws CoordinatorLoadInProgressException while no id is at hand; the next block is being reserved
     */
    public long tryNextProducerId(Executor reserver) {
        synchronized (this) {
            takePrefetched();
            if (prefetched < 0 && !reserving && blockEnd - next <= BLOCK_SIZE / 10) {
                reserving = true;
                reserver.execute(this::prefetch);
            }
            if (next < blockEnd) {
                return next++;
            }
        }
        throw new CoordinatorLoadInProgressException("Producer ids are being reserved from the controller; retry.");
    }

    private void takePrefetched() {
        if (next >= blockEnd && prefetched >= 0) {
            next = prefetched;
            blockEnd = prefetched + BLOCK_SIZE;
            prefetched = -1;
        }
    }

    private void prefetch() {
        long first = -1;
        try {
            first = reserveBlock.applyAsLong(BLOCK_SIZE);
        } catch (RuntimeException e) {
            log.warn("Could not reserve producer ids: {}", e.toString());
        } finally {
            synchronized (this) {
                reserving = false;
                prefetched = first;
            }
        }
    }
}
