package io.runnel.storage.producer;

/**
 * An idempotent or transactional data batch as it was (or is about to be) written: who produced it,
 * where it landed, and whether it belongs to a transaction.
 */
public record ProducerBatch(long producerId, short epoch, BatchMetadata metadata, boolean transactional) {

    /** A batch of an idempotent producer, outside any transaction. */
    public ProducerBatch(long producerId, short epoch, BatchMetadata metadata) {
        this(producerId, epoch, metadata, false);
    }
}
