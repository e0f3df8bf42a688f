package io.runnel.storage.producer;

/** An idempotent batch as it was (or is about to be) written: who produced it and where it landed. */
public record ProducerBatch(long producerId, short epoch, BatchMetadata metadata) {
}
