package io.runnel.storage.producer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Idempotence state of one producer id: its current epoch and the metadata of its last
 * {@value #MAX_CACHED_BATCHES} batches (the most a producer may have in flight), oldest first.
 * Mutable; owned and guarded by {@link ProducerStateManager}.
 */
public final class ProducerEntry {
    public static final int MAX_CACHED_BATCHES = 5;

    private final long producerId;
    private short epoch;
    private final Deque<BatchMetadata> batches = new ArrayDeque<>(MAX_CACHED_BATCHES);

    public ProducerEntry(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    public List<BatchMetadata> batches() {
        return List.copyOf(batches);
    }

    /**
     * When the producer last appended (the newest batch's timestamp), or -1 if no batch is cached.
     * Kafka's {@code lastTimestamp}, which {@code producer.id.expiration.ms} is measured from.
     */
    public long lastTimestamp() {
        return batches.isEmpty() ? -1 : batches.peekLast().timestamp();
    }

    /** The newest batch, if any is cached. */
    public Optional<BatchMetadata> lastBatch() {
        return Optional.ofNullable(batches.peekLast());
    }

    /** Last sequence written, or -1 if no batch is cached. */
    public int lastSeq() {
        return batches.isEmpty() ? -1 : batches.peekLast().lastSeq();
    }

    public Optional<BatchMetadata> findDuplicate(int firstSeq, int lastSeq) {
        return batches.stream().filter(b -> b.firstSeq() == firstSeq && b.lastSeq() == lastSeq).findFirst();
    }

    /** Records a written batch; a new epoch forgets the batches of the old one. */
    void add(short batchEpoch, BatchMetadata batch) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            batches.clear();
        }
        if (batches.size() == MAX_CACHED_BATCHES) {
            batches.removeFirst();
        }
        batches.addLast(batch);
    }
}
