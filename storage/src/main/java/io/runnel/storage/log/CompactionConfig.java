package io.runnel.storage.log;

/**
 * How the log cleaner treats one log, named after the Kafka topic configs it mirrors. Immutable; any thread.
 *
 * @param compact            {@code cleanup.policy} contains {@code compact}: the cleaner keeps the latest
 *                           record of each key (whether old segments are also deleted by age or size is
 *                           the retention settings' business)
 * @param minCleanableRatio  {@code min.cleanable.dirty.ratio}: the share of the log's bytes that must be
 *                           dirty (written since the last cleaning) before it is cleaned
 * @param deleteRetentionMs  {@code delete.retention.ms}: how long a tombstone (a record with a null value)
 *                           stays after the cleaning that first saw it, so readers can see the deletion
 * @param minCompactionLagMs {@code min.compaction.lag.ms}: a record stays uncompacted at least this long
 * @param maxCompactionLagMs {@code max.compaction.lag.ms}: a record is eligible for compaction at most this
 *                           long after it was written, whatever the dirty ratio
 */
public record CompactionConfig(boolean compact, double minCleanableRatio, long deleteRetentionMs,
        long minCompactionLagMs, long maxCompactionLagMs) {

    /** Kafka's defaults for a log that is not compacted. */
    public static final CompactionConfig NOT_COMPACTED = new CompactionConfig(false, 0.5, 86_400_000L, 0L, Long.MAX_VALUE);

    public CompactionConfig {
        if (!(minCleanableRatio >= 0 && minCleanableRatio <= 1)) {
            throw new IllegalArgumentException("Invalid minCleanableRatio: " + minCleanableRatio);
        }
        if (deleteRetentionMs < 0 || minCompactionLagMs < 0 || maxCompactionLagMs < 1) {
            throw new IllegalArgumentException("Invalid compaction times: delete retention " + deleteRetentionMs
                    + ", min lag " + minCompactionLagMs + ", max lag " + maxCompactionLagMs);
        }
    }

    /** These settings for a compacted log. */
    public CompactionConfig compacted() {
        return new CompactionConfig(true, minCleanableRatio, deleteRetentionMs, minCompactionLagMs, maxCompactionLagMs);
    }

    public CompactionConfig withMinCleanableRatio(double value) {
        return new CompactionConfig(compact, value, deleteRetentionMs, minCompactionLagMs, maxCompactionLagMs);
    }

    public CompactionConfig withDeleteRetentionMs(long value) {
        return new CompactionConfig(compact, minCleanableRatio, value, minCompactionLagMs, maxCompactionLagMs);
    }

    public CompactionConfig withMinCompactionLagMs(long value) {
        return new CompactionConfig(compact, minCleanableRatio, deleteRetentionMs, value, maxCompactionLagMs);
    }

    public CompactionConfig withMaxCompactionLagMs(long value) {
        return new CompactionConfig(compact, minCleanableRatio, deleteRetentionMs, minCompactionLagMs, value);
    }
}
