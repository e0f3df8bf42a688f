package io.runnel.storage.log;

import org.apache.kafka.common.record.TimestampType;

/**
 * Per-partition log settings, named after the Kafka topic configs they mirror
 * ({@code segment.bytes}, {@code segment.ms}, {@code retention.ms}, ...). Immutable; any thread.
 * {@code retentionMs} or {@code retentionBytes} below 0 disables that retention rule;
 * {@code Long.MAX_VALUE} for the flush intervals leaves flushing to the OS.
 * {@code producerIdExpirationMs} is Kafka's {@code producer.id.expiration.ms}: how long the log
 * remembers an idempotent producer after its last append. {@code compaction} says whether the log
 * cleaner compacts the log ({@code cleanup.policy} contains {@code compact}) and how.
 */
public record LogConfig(long segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
        int indexIntervalBytes, int segmentIndexBytes, int maxMessageBytes,
        TimestampPolicy timestamps,
        long flushIntervalMessages, long flushIntervalMs, long fileDeleteDelayMs, long producerIdExpirationMs,
        CompactionConfig compaction) {

    private static final long ONE_DAY_MS = 24L * 60 * 60 * 1000;
    private static final long SEVEN_DAYS_MS = 7 * ONE_DAY_MS;

    public LogConfig {
        // segment files are addressed with int positions, as in Kafka
        require(segmentBytes > 0 && segmentBytes <= Integer.MAX_VALUE, "segmentBytes", segmentBytes);
        require(segmentMs > 0, "segmentMs", segmentMs);
        require(indexIntervalBytes >= 0, "indexIntervalBytes", indexIntervalBytes);
        require(segmentIndexBytes >= 0, "segmentIndexBytes", segmentIndexBytes);
        require(maxMessageBytes > 0, "maxMessageBytes", maxMessageBytes);
        require(flushIntervalMessages > 0, "flushIntervalMessages", flushIntervalMessages);
        require(flushIntervalMs >= 0, "flushIntervalMs", flushIntervalMs);
        require(fileDeleteDelayMs >= 0, "fileDeleteDelayMs", fileDeleteDelayMs);
        require(producerIdExpirationMs > 0, "producerIdExpirationMs", producerIdExpirationMs);
        if (timestamps == null || compaction == null) {
            throw new IllegalArgumentException("timestamps and compaction must be given");
        }
    }

    /** A log that is not compacted ({@code cleanup.policy=delete}), with the other settings as given. */
    public LogConfig(long segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
            int indexIntervalBytes, int segmentIndexBytes, int maxMessageBytes, TimestampPolicy timestamps,
            long flushIntervalMessages, long flushIntervalMs, long fileDeleteDelayMs, long producerIdExpirationMs) {
        this(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes, maxMessageBytes,
                timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs, producerIdExpirationMs,
                CompactionConfig.NOT_COMPACTED);
    }

    private static void require(boolean valid, String name, long value) {
        if (!valid) {
            throw new IllegalArgumentException("Invalid " + name + ": " + value);
        }
    }

    /** Kafka's defaults. */
    public static LogConfig defaults() {
        return new LogConfig(1024L * 1024 * 1024, SEVEN_DAYS_MS, SEVEN_DAYS_MS, -1L,
                4096, 10 * 1024 * 1024, 1048588, TimestampPolicy.DEFAULT,
                Long.MAX_VALUE, Long.MAX_VALUE, 60_000L, ONE_DAY_MS);
    }

    public LogConfig withSegmentBytes(long value) {
        return new LogConfig(value, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withSegmentMs(long value) {
        return new LogConfig(segmentBytes, value, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withRetentionMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, value, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withRetentionBytes(long value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, value, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withIndexIntervalBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, value, segmentIndexBytes,
                maxMessageBytes, timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withSegmentIndexBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, value,
                maxMessageBytes, timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withMaxMessageBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                value, timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withTimestampType(TimestampType value) {
        return withTimestamps(timestamps.withType(value));
    }

    public LogConfig withTimestamps(TimestampPolicy value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, value, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withFlushIntervalMessages(long value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, timestamps, value, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withFlushIntervalMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, timestamps, flushIntervalMessages, value, fileDeleteDelayMs,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withFileDeleteDelayMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, timestamps, flushIntervalMessages, flushIntervalMs, value,
                producerIdExpirationMs, compaction);
    }

    public LogConfig withProducerIdExpirationMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs, value, compaction);
    }

    public LogConfig withCompaction(CompactionConfig value) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, segmentIndexBytes,
                maxMessageBytes, timestamps, flushIntervalMessages, flushIntervalMs, fileDeleteDelayMs,
                producerIdExpirationMs, value);
    }
}
