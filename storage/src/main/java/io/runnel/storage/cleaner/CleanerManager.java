package io.runnel.storage.cleaner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.runnel.storage.log.CompactionConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.segment.LogSegment;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses which log a cleaner thread cleans next, as Kafka's {@code LogCleanerManager} does: among
 * compacted logs not being cleaned by another thread, the one with the highest dirty ratio above its
 * {@code min.cleanable.dirty.ratio}, or any holding records older than {@code max.compaction.lag.ms};
 * and records where each cleaning ended in the log directory's {@code cleaner-offset-checkpoint}.
 * A log whose cleaning failed unexpectedly is left alone until restart ("uncleanable"), or until it is deleted.
 *
 * <p>Threading: thread-safe; the cleaner threads share one.
 */
final class CleanerManager {
    private static final Logger LOG = LoggerFactory.getLogger(CleanerManager.class);

    private final LogManager logManager;
    private final Set<TopicPartition> inProgress = new HashSet<>();
    private final Set<PartitionLog> uncleanable = Collections.newSetFromMap(new IdentityHashMap<>());

    CleanerManager(LogManager logManager) {
        this.logManager = logManager;
    }

    /** The dirtiest due log, now marked in progress (call {@link #doneCleaning}), or empty if none is due. */
    synchronized Optional<LogToClean> grabFilthiestLog(long now) {
        // a deleted partition's log is never cleaned again: forget it
        uncleanable.removeIf(log -> logManager.log(log.topicPartition()).orElse(null) != log);
        Optional<LogToClean> filthiest = logManager.allLogs().stream()
                .filter(log -> log.config().compaction().compact() && !log.isOffline())
                .filter(log -> !inProgress.contains(log.topicPartition()) && !uncleanable.contains(log))
                .flatMap(log -> planOrSkip(log, now).stream())
                .filter(LogToClean::isDue)
                .max(Comparator.comparingDouble(LogToClean::cleanableRatio));
        filthiest.ifPresent(log -> inProgress.add(log.log().topicPartition()));
        return filthiest;
    }

    /** The plan for {@code log}, or empty, marking it uncleanable, if planning failed while its segments stood still. */
    private Optional<LogToClean> planOrSkip(PartitionLog log, long now) {
        List<LogSegment> segments = log.segmentsSnapshot();
        try {
            return Optional.of(plan(log, logManager.cleanerCheckpoint(log), now));
        } catch (RuntimeException e) {
            if (log.holdsAll(segments.subList(0, segments.size() - 1))) {
                LOG.warn("Choosing whether to clean {} failed; it will not be cleaned again until restart", log.topicPartition(), e);
                uncleanable.add(log);
            }
            return Optional.empty();
        }
    }

    /** How many logs are left alone until restart (Kafka's {@code uncleanable-partitions-count}). */
    synchronized int uncleanableCount() {
        return uncleanable.size();
    }

    /** Ends a cleaning; if it completed, the next one starts at {@code endOffset}. */
    synchronized void doneCleaning(LogToClean cleaned, Optional<Long> endOffset) {
        inProgress.remove(cleaned.log().topicPartition());
        endOffset.ifPresent(offset -> logManager.updateCleanerCheckpoint(cleaned.log(), offset));
    }

    synchronized void markUncleanable(PartitionLog log) {
        uncleanable.add(log);
    }

    /**
     * What a cleaning of {@code log} would cover now, given where the last one ended: up to the segment
     * holding the lowest of the last stable offset, the active segment's base and the first segment
     * inside {@code min.compaction.lag.ms}, as Kafka's {@code cleanableOffsets}. A checkpoint outside
     * the log (below its start after retention, or past its end) restarts from the log start.
     */
    static LogToClean plan(PartitionLog log, Optional<Long> checkpoint, long now) {
        List<LogSegment> segments = log.segmentsSnapshot();
        List<LogSegment> inactive = segments.subList(0, segments.size() - 1);
        long start = log.logStartOffset();
        long checkpointed = checkpoint.orElse(start);
        long firstDirty = checkpointed < start || checkpointed > log.logEndOffset() ? start : checkpointed;
        CompactionConfig compaction = log.config().compaction();
        // never past an open transaction (nor an undecided one), so every transaction the cleaner reads is decided
        long uncleanable = Math.min(log.lastStableOffset(), segments.get(segments.size() - 1).baseOffset());
        for (LogSegment segment : from(inactive, firstDirty)) {
            if (compaction.minCompactionLagMs() > 0 && largestTimestamp(segment) > now - compaction.minCompactionLagMs()) {
                uncleanable = Math.min(uncleanable, segment.baseOffset());
                break;
            }
        }
        long firstUncleanable = segmentBaseAtOrBelow(segments, Math.max(firstDirty, uncleanable));
        long cleanBytes = 0;
        long cleanableBytes = 0;
        long earliestDirtyTimestamp = Long.MAX_VALUE;
        for (LogSegment segment : segments) {
            if (segment.baseOffset() < firstDirty) {
                cleanBytes += segment.size();
            }
        }
        if (firstDirty < firstUncleanable) {
            // a segment holding firstDirty counts as clean and as cleanable, as in Kafka
            for (LogSegment segment : from(segments, firstDirty)) {
                if (segment.baseOffset() < firstUncleanable) {
                    cleanableBytes += segment.size();
                }
            }
        }
        for (LogSegment segment : from(segments, firstDirty)) {
            long first = segment.firstBatchTimestamp();
            if (segment != segments.get(segments.size() - 1) && first > 0) {
                earliestDirtyTimestamp = Math.min(earliestDirtyTimestamp, first);
            }
        }
        boolean needNow = earliestDirtyTimestamp < now - compaction.maxCompactionLagMs();
        return new LogToClean(log, firstDirty, firstUncleanable, cleanBytes, cleanableBytes, needNow);
    }

    /** The segments of {@code segments} from the one holding {@code offset} on. */
    static List<LogSegment> from(List<LogSegment> segments, long offset) {
        int first = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).baseOffset() <= offset) {
                first = i;
            }
        }
        return segments.subList(first, segments.size());
    }

    private static long segmentBaseAtOrBelow(List<LogSegment> segments, long offset) {
        long base = segments.get(0).baseOffset();
        for (LogSegment segment : segments) {
            if (segment.baseOffset() <= offset) {
                base = segment.baseOffset();
            }
        }
        return base;
    }

    private static long largestTimestamp(LogSegment segment) {
        try {
            return segment.largestTimestamp();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
