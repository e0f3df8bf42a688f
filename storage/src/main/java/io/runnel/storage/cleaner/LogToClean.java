package io.runnel.storage.cleaner;

import io.runnel.storage.log.PartitionLog;

/**
 * A compacted log and the part of it a cleaning would cover: the clean part {@code [start,
 * firstDirtyOffset)} was cleaned before; the dirty part {@code [firstDirtyOffset,
 * firstUncleanableOffset)} was written since and may be cleaned now (it ends at a segment boundary,
 * never past the last stable offset, the active segment or records younger than
 * {@code min.compaction.lag.ms}). Immutable.
 *
 * @param needCompactionNow a record is older than {@code max.compaction.lag.ms}, so the log is due whatever its ratio
 */
record LogToClean(PartitionLog log, long firstDirtyOffset, long firstUncleanableOffset, long cleanBytes,
        long cleanableBytes, boolean needCompactionNow) {

    long totalBytes() {
        return cleanBytes + cleanableBytes;
    }

    /** Kafka's dirty ratio: the share of the log's bytes that are dirty and cleanable. */
    double cleanableRatio() {
        return totalBytes() == 0 ? 0 : (double) cleanableBytes / totalBytes();
    }

    /** Whether this log should be cleaned now: dirty enough, or holding records past the maximum lag. */
    boolean isDue() {
        return totalBytes() > 0 && (needCompactionNow && cleanableBytes > 0
                || cleanableRatio() > log.config().compaction().minCleanableRatio());
    }
}
