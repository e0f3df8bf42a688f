package io.runnel.storage.producer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * State of one producer id: its current epoch, the metadata of its last {@value #MAX_CACHED_BATCHES}
 * batches (the most a producer may have in flight), oldest first, when it last appended, and for
 * transactions the epoch of the coordinator that wrote its last marker and the first offset of its
 * open transaction in this partition. Mutable; owned and guarded by {@link ProducerStateManager}.
 */
public final class ProducerEntry {
    public static final int MAX_CACHED_BATCHES = 5;

    /** No transaction open: {@link #currentTxnFirstOffset()}. */
    public static final long NO_TXN = -1;
    /** No marker seen yet: {@link #coordinatorEpoch()}. */
    public static final int NO_COORDINATOR_EPOCH = -1;

    private final long producerId;
    private short epoch;
    /**
     * The cached batches as a ring: {@code newest} is the slot of the newest of {@code cachedCount}.
     * An array rather than a deque so that {@link #findDuplicate}, asked for every client batch of
     * an idempotent or transactional producer, walks it without allocating.
     */
    private final BatchMetadata[] cached = new BatchMetadata[MAX_CACHED_BATCHES];
    private int cachedCount;
    private int newest = MAX_CACHED_BATCHES - 1;
    private int coordinatorEpoch;
    private long currentTxnFirstOffset;
    private long lastTimestamp;

    public ProducerEntry(long producerId, short epoch) {
        this(producerId, epoch, NO_COORDINATOR_EPOCH, NO_TXN, -1);
    }

    /** An entry as a snapshot recorded it, before its cached batches are added. */
    public ProducerEntry(long producerId, short epoch, int coordinatorEpoch, long currentTxnFirstOffset, long lastTimestamp) {
        this.producerId = producerId;
        this.epoch = epoch;
        this.coordinatorEpoch = coordinatorEpoch;
        this.currentTxnFirstOffset = currentTxnFirstOffset;
        this.lastTimestamp = lastTimestamp;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    /** The cached batches, oldest first. */
    public List<BatchMetadata> batches() {
        List<BatchMetadata> oldestFirst = new ArrayList<>(cachedCount);
        for (int age = cachedCount - 1; age >= 0; age--) {
            oldestFirst.add(cachedAt(age));
        }
        return List.copyOf(oldestFirst);
    }

    /**
     * When the producer last appended a batch or had a marker written, or -1 if never. Kafka's
     * {@code lastTimestamp}, which {@code producer.id.expiration.ms} is measured from. Kept apart
     * from the batches because a marker that bumps the epoch forgets them.
     */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The epoch of the transaction coordinator that wrote this producer's last marker, or -1. */
    public int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    /** The offset of the first batch of the producer's open transaction here, or {@link #NO_TXN}. */
    public long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    public boolean hasOpenTxn() {
        return currentTxnFirstOffset != NO_TXN;
    }

    /** The newest batch, if any is cached. */
    public Optional<BatchMetadata> lastBatch() {
        return cachedCount == 0 ? Optional.empty() : Optional.of(cached[newest]);
    }

    /** Last sequence written, or -1 if no batch is cached. */
    public int lastSeq() {
        return cachedCount == 0 ? -1 : cached[newest].lastSeq();
    }

    /** The cached batch with exactly these sequences (the batch a retry repeats), if any; allocates nothing when there is none. */
    public Optional<BatchMetadata> findDuplicate(int firstSeq, int lastSeq) {
        for (int age = 0; age < cachedCount; age++) {
            BatchMetadata batch = cachedAt(age);
            if (batch.firstSeq() == firstSeq && batch.lastSeq() == lastSeq) {
                return Optional.of(batch);
            }
        }
        return Optional.empty();
    }

    /** The cached batch {@code age} batches older than the newest (0: the newest). */
    private BatchMetadata cachedAt(int age) {
        return cached[Math.floorMod(newest - age, MAX_CACHED_BATCHES)];
    }

    /** Records a written batch; a new epoch forgets the batches of the old one. */
    void add(short batchEpoch, BatchMetadata batch) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            forgetBatches();
        }
        cache(batch);
        lastTimestamp = batch.timestamp();
    }

    /**
     * Adds a batch read from a snapshot, newest last. The entry's last timestamp stays the recorded
     * one unless the batch is newer (a version 0 snapshot records none).
     */
    void restore(BatchMetadata batch) {
        cache(batch);
        lastTimestamp = Math.max(lastTimestamp, batch.timestamp());
    }

    private void cache(BatchMetadata batch) {
        newest = (newest + 1) % MAX_CACHED_BATCHES;
        cached[newest] = batch;
        cachedCount = Math.min(cachedCount + 1, MAX_CACHED_BATCHES);
    }

    private void forgetBatches() {
        Arrays.fill(cached, null);
        cachedCount = 0;
    }

    /** The producer's first transactional batch since its last marker starts a transaction at {@code firstOffset}. */
    void beginTxn(long firstOffset) {
        currentTxnFirstOffset = firstOffset;
    }

    /**
     * Records a marker written at the producer's {@code markerEpoch} by coordinator epoch
     * {@code markerCoordinatorEpoch}: the transaction is closed, and a new epoch forgets the batches
     * of the old one (their sequences no longer matter).
     */
    void endTxn(short markerEpoch, int markerCoordinatorEpoch, long timestamp) {
        if (markerEpoch != epoch) {
            epoch = markerEpoch;
            forgetBatches();
        }
        coordinatorEpoch = markerCoordinatorEpoch;
        currentTxnFirstOffset = NO_TXN;
        lastTimestamp = timestamp;
    }
}
