package io.runnel.storage.producer;

/**
 * The last thing an active producer wrote to a partition, as Kafka's {@code LastRecord}: the log
 * cleaner keeps the batch holding it (if only as an empty batch) so that the producer's sequence
 * numbers and epoch survive compaction and a restart. Immutable.
 *
 * @param lastDataOffset the last offset of the producer's newest cached data batch, or {@link #NO_DATA}
 *     when it has none (its last write was a marker that bumped the epoch, which forgets the batches)
 * @param producerEpoch the producer's current epoch: with no data offset, the control batches at this
 *     epoch are the ones kept
 */
public record LastRecord(long lastDataOffset, short producerEpoch) {
    /** No data batch is cached for the producer: {@link #lastDataOffset()}. */
    public static final long NO_DATA = -1;

    public boolean hasDataOffset() {
        return lastDataOffset != NO_DATA;
    }
}
