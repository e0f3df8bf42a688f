package io.runnel.storage.cleaner;

/**
 * The log cleaner's broker-wide settings, Kafka's {@code log.cleaner.*}. Immutable; any thread.
 *
 * @param enabled          {@code log.cleaner.enable}: whether compacted topics are cleaned at all
 * @param threads          {@code log.cleaner.threads}
 * @param dedupeBufferSize {@code log.cleaner.dedupe.buffer.size}: memory for the key-to-offset maps of all threads
 * @param dedupeLoadFactor {@code log.cleaner.io.buffer.load.factor}: how full a map may get
 * @param ioBufferSize     {@code log.cleaner.io.buffer.size}: memory for the read and write buffers of all threads
 * @param backoffMs        {@code log.cleaner.backoff.ms}: how long a thread sleeps when no log needs cleaning
 */
public record CleanerConfig(boolean enabled, int threads, long dedupeBufferSize, double dedupeLoadFactor,
        int ioBufferSize, long backoffMs) {

    /** Kafka's defaults. */
    public static final CleanerConfig DEFAULTS = new CleanerConfig(true, 1, 128L * 1024 * 1024, 0.9, 512 * 1024, 15_000L);

    public CleanerConfig {
        if (threads < 1 || dedupeBufferSize < 1 || !(dedupeLoadFactor > 0 && dedupeLoadFactor <= 1) || ioBufferSize < 2
                || backoffMs < 0) {
            throw new IllegalArgumentException("Invalid log cleaner settings: " + threads + " threads, dedupe buffer "
                    + dedupeBufferSize + ", load factor " + dedupeLoadFactor + ", I/O buffer " + ioBufferSize + ", backoff " + backoffMs);
        }
        if (Math.min(dedupeBufferSize / threads, Integer.MAX_VALUE) / OffsetMap.ENTRY_BYTES * dedupeLoadFactor < 1) {
            throw new IllegalArgumentException("the offset map of each thread is too small to hold even one key; increase "
                    + "log.cleaner.dedupe.buffer.size or decrease log.cleaner.threads");
        }
    }

    /** One thread's share of the dedupe buffer, at most 2 GiB as in Kafka. */
    int dedupeBufferPerThread() {
        return (int) Math.min(dedupeBufferSize / threads, Integer.MAX_VALUE);
    }

    /** One thread's read (and write) buffer: half its share of the I/O buffer, as in Kafka. */
    int ioBufferPerThread() {
        return Math.max(1, ioBufferSize / threads / 2);
    }
}
