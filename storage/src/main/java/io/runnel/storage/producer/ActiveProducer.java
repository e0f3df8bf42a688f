package io.runnel.storage.producer;

/**
 * A snapshot of one idempotent or transactional producer a partition remembers, as DescribeProducers reports it. Immutable.
 *
 * @param producerId the producer id
 * @param epoch its current epoch
 * @param lastSequence the last sequence it wrote, or -1
 * @param lastTimestamp when it last appended (the broker's clock), or -1
 * @param coordinatorEpoch the epoch of the coordinator that wrote its last marker, or -1
 * @param currentTxnStartOffset the first offset of its open transaction, or -1
 */
public record ActiveProducer(long producerId, short epoch, int lastSequence, long lastTimestamp, int coordinatorEpoch,
        long currentTxnStartOffset) { }
