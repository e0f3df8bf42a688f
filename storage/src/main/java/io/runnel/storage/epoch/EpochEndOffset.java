package io.runnel.storage.epoch;

/**
 * Answer to an OffsetForLeaderEpoch query: the largest epoch &lt;= the requested one that this log
 * knows, and the offset where the next higher epoch starts (or the log end offset).
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1L);
}
