package io.runnel.storage.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.runnel.storage.segment.SegmentWriter;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the log directories and every open {@link PartitionLog}: creates and opens logs on demand
 * (recovering them if the directory was not shut down cleanly), deletes them, and runs retention,
 * flushing and checkpointing on one daemon thread, {@code runnel-log-maintenance}.
 *
 * <p>Threading: thread-safe. Lookups are lock-free; creating, deleting, checkpointing and closing
 * are serialized on this object.
 */
public final class LogManager implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    private static final long SHUTDOWN_WAIT_MS = 30_000;

    private final List<LogDirectory> dirs;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ScheduledDeletions deletions;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private boolean backgroundTasksStarted;
    private boolean closed;

    private LogManager(List<LogDirectory> dirs, Clock clock) {
        this.dirs = dirs;
        this.clock = clock;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "runnel-log-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        // on close, pending deletions run on the closing thread instead (see close())
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setRemoveOnCancelPolicy(true);
        this.deletions = new ScheduledDeletions(scheduler);
    }

    /**
     * Creates missing directories, reads their checkpoints and clean-shutdown markers (deleting the
     * markers) and resumes unfinished log deletions. Logs are opened lazily by {@link #getOrCreateLog}.
     */
    public static LogManager open(List<Path> logDirs, Clock clock) throws IOException {
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("At least one log directory is required");
        }
        List<LogDirectory> dirs = new ArrayList<>();
        for (Path dir : logDirs) {
            dirs.add(LogDirectory.open(dir));
        }
        LogManager manager = new LogManager(dirs, clock);
        for (LogDirectory dir : dirs) {
            for (Path leftover : dir.leftoverDeletions()) {
                manager.deletions.schedule("directory " + leftover, () -> deleteRecursively(leftover), 0);
            }
        }
        return manager;
    }

    /**
     * Returns the open log of {@code tp}, opening it from disk (recovering after an unclean
     * shutdown) or creating it in the directory holding the fewest partitions.
     *
     * @throws InconsistentTopicIdException if the partition exists with another topic id
     */
    public synchronized PartitionLog getOrCreateLog(TopicPartition tp, Uuid topicId, LogConfig config)
            throws IOException {
        return getOrCreateLog(tp, topicId, config, false);
    }

    /**
     * As {@link #getOrCreateLog(TopicPartition, Uuid, LogConfig)}; a log opened here with
     * {@code highWatermarkManagedExternally} (a replicated partition) starts with the high watermark of
     * the directory's {@code replication-offset-checkpoint} (0 if it has none, kept within the log) and
     * leaves moving it to {@link PartitionLog#updateHighWatermark}; otherwise the high watermark follows
     * the log end as on a single node. A log already open is returned as it is.
     */
    public synchronized PartitionLog getOrCreateLog(TopicPartition tp, Uuid topicId, LogConfig config,
            boolean highWatermarkManagedExternally) throws IOException {
        ensureOpen();
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            if (!existing.topicId().equals(topicId)) {
                throw new InconsistentTopicIdException("Partition " + tp + " has topic id " + existing.topicId()
                        + ", not " + topicId);
            }
            return existing;
        }
        LogDirectory home = dirs.stream().filter(d -> d.holds(tp)).findFirst()
                .orElseGet(() -> dirs.stream().min(Comparator.comparingInt(LogDirectory::partitionCount)).orElseThrow());
        boolean isNew = !home.holds(tp);
        Path partitionDir = home.partitionDir(tp);
        Files.createDirectories(partitionDir);
        PartitionLog log = PartitionLog.open(partitionDir, tp, topicId, config, clock, deletions,
                isNew || home.cleanShutdown(), home.recoveryPoint(tp), home.logStartOffset(tp), SegmentWriter.DIRECT,
                home.highWatermark(tp), highWatermarkManagedExternally);
        home.opened(tp);
        logs.put(tp, log);
        if (highWatermarkManagedExternally && log.highWatermark() < home.highWatermark(tp)) {
            // Recovery left the log shorter than its checkpointed high watermark (a power loss cut what was
            // not flushed). Until the next periodic checkpoint the file would still hold the old one, and a
            // crash meanwhile would let the next start take it over records appended since, at other epochs,
            // that were never committed. Kafka writes its high watermarks at once on start for the same window.
            writeCheckpoints(home);
        }
        return log;
    }

    /** The log directories, in configured order. */
    public List<Path> logDirs() {
        return dirs.stream().map(LogDirectory::path).toList();
    }

    public Optional<PartitionLog> log(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Collection<PartitionLog> allLogs() {
        return List.copyOf(logs.values());
    }

    /**
     * Removes the log of {@code tp}: its directory is renamed {@code <topic>-<p>.<uuid>-delete} at
     * once (so a restart does not resurrect it) and deleted after {@code file.delete.delay.ms}.
     * Does nothing if the partition has no log open.
     */
    public synchronized void deleteLog(TopicPartition tp) {
        ensureOpen();
        PartitionLog log = logs.remove(tp);
        if (log == null) {
            return;
        }
        log.markDeleted();
        LogDirectory home = directoryOf(log);
        home.removed(tp);
        Path renamed = log.dir().resolveSibling(log.dir().getFileName() + "."
                + UUID.randomUUID().toString().replace("-", "") + LogDirectory.DELETE_DIR_SUFFIX);
        try {
            moveAtomically(log.dir(), renamed);
            writeCheckpoints(home);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot delete log " + tp, e);
        }
        deletions.schedule("log " + renamed, () -> {
            log.closeFiles();
            deleteRecursively(renamed);
        }, log.config().fileDeleteDelayMs());
        LOG.debug("Deleted log {}; its files go in {} ms", tp, log.config().fileDeleteDelayMs());
    }

    /**
     * The first offset of {@code log} the cleaner has not cleaned yet, from the directory's
     * {@code cleaner-offset-checkpoint}; empty if it never cleaned this log.
     */
    public synchronized Optional<Long> cleanerCheckpoint(PartitionLog log) {
        return logs.get(log.topicPartition()) == log ? directoryOf(log).cleanerOffset(log.topicPartition()) : Optional.empty();
    }

    /** Persists where the cleaner stopped in {@code log}; ignored if the log was deleted meanwhile. */
    public synchronized void updateCleanerCheckpoint(PartitionLog log, long firstUncleanedOffset) {
        if (closed || logs.get(log.topicPartition()) != log) {
            return;
        }
        try {
            directoryOf(log).updateCleanerOffset(log.topicPartition(), firstUncleanedOffset);
        } catch (IOException e) {
            LOG.error("Cannot write the cleaner checkpoint of {}", log.topicPartition(), e);
        }
    }

    /** Schedules retention, flush and checkpoint passes on the maintenance thread. Only the first call counts. */
    public synchronized void startBackgroundTasks(long retentionCheckIntervalMs, long flushCheckIntervalMs,
            long checkpointIntervalMs) {
        ensureOpen();
        if (backgroundTasksStarted) {
            return;
        }
        backgroundTasksStarted = true;
        schedulePeriodic("retention", this::runRetention, retentionCheckIntervalMs);
        schedulePeriodic("flush", this::flushDueLogs, flushCheckIntervalMs);
        schedulePeriodic("checkpoint", this::checkpoint, checkpointIntervalMs);
    }

    /**
     * Applies retention to every log, forgets expired producer ids ({@code producer.id.expiration.ms})
     * and persists moved log start offsets. Errors are logged per log.
     */
    public void runRetention() {
        boolean deleted = false;
        for (PartitionLog log : allLogs()) {
            try {
                deleted |= log.deleteOldSegments() > 0;
            } catch (RuntimeException e) {
                LOG.error("Retention failed for {}", log.topicPartition(), e);
            }
            try {
                log.removeExpiredProducers();
            } catch (RuntimeException e) {
                LOG.error("Producer id expiration failed for {}", log.topicPartition(), e);
            }
        }
        if (deleted) {
            checkpoint();
        }
    }

    /** Writes the checkpoints of every directory (recovery point, log start offset, high watermark, cleaner), logging a failure. */
    public void checkpoint() {
        try {
            writeCheckpoints();
        } catch (IOException e) {
            LOG.error("Cannot write checkpoints", e);
        }
    }

    /**
     * Writes the checkpoints of every directory (recovery point, log start offset, high watermark, cleaner), for a caller that
     * must not answer before they are durable (DeleteRecords). Every directory is tried.
     *
     * @throws IOException the first directory's failure, the others' suppressed in it
     */
    public synchronized void writeCheckpoints() throws IOException {
        IOException failure = null;
        for (LogDirectory dir : dirs) {
            try {
                writeCheckpoints(dir);
            } catch (IOException e) {
                IOException inDir = new IOException("Cannot write checkpoints in " + dir.path(), e);
                if (failure == null) {
                    failure = inDir;
                } else {
                    failure.addSuppressed(inDir);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Stops the background tasks, closes (flushing) every log, finishes pending deletions, writes
     * the checkpoints and marks each directory cleanly shut down. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdown();
        awaitSchedulerTermination();
        boolean allClosed = true;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
                if (log.isOffline()) {
                    // its directory must be recovered on the next start, which cuts the failed write off
                    allClosed = false;
                }
            } catch (RuntimeException e) {
                allClosed = false;
                LOG.error("Cannot close log {}", log.topicPartition(), e);
            }
        }
        deletions.runPendingNow();
        for (LogDirectory dir : dirs) {
            try {
                writeCheckpoints(dir);
                if (allClosed) {
                    dir.writeCleanShutdownMarker();
                }
            } catch (IOException e) {
                LOG.error("Cannot finish shutdown of {}", dir.path(), e);
            }
        }
        LOG.debug("Log manager closed");
    }

    private void flushDueLogs() {
        for (PartitionLog log : allLogs()) {
            try {
                log.flushIfDue();
            } catch (RuntimeException e) {
                LOG.error("Flush failed for {}", log.topicPartition(), e);
            }
        }
    }

    private void schedulePeriodic(String name, Runnable task, long intervalMs) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("Log maintenance task {} failed", name, t);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void awaitSchedulerTermination() {
        try {
            if (!scheduler.awaitTermination(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("Log maintenance thread did not stop within {} ms", SHUTDOWN_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeCheckpoints(LogDirectory dir) throws IOException {
        List<PartitionLog> inDir = logs.values().stream().filter(log -> directoryOf(log) == dir).toList();
        dir.writeCheckpoints(inDir);
    }

    private LogDirectory directoryOf(PartitionLog log) {
        Path parent = log.dir().getParent();
        return dirs.stream().filter(d -> d.path().equals(parent)).findFirst().orElseThrow();
    }

    private void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("Log manager is closed");
        }
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
