package io.runnel.storage.log;

/**
 * Outcome of {@link PartitionLog#appendAsLeader}: the offsets assigned to the appended records,
 * the broker time written into LogAppendTime batches (-1 for CreateTime topics), and whether the
 * request was a retry of batches already in the log ({@code duplicate}: nothing was written and
 * the offsets are those of the original append).
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTime,
        long logStartOffset, int batchCount, int bytes, boolean duplicate) {
}
