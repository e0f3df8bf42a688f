package io.runnel.storage.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.runnel.storage.checkpoint.AtomicFileWriter;
import io.runnel.storage.checkpoint.OffsetCheckpointFile;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log directory: which partitions live in it, whether it was shut down cleanly, and its
 * recovery-point, log-start-offset and high-watermark checkpoints. Checkpoint entries of partitions
 * that were not opened since startup are carried over unchanged so they are not lost.
 *
 * <p>Threading: guarded by the owning {@link LogManager}.
 */
final class LogDirectory {
    static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    static final String DELETE_DIR_SUFFIX = "-delete";
    private static final Logger LOG = LoggerFactory.getLogger(LogDirectory.class);

    private final Path path;
    private final boolean cleanShutdown;
    private final CarriedCheckpoint recoveryPoints;
    private final CarriedCheckpoint logStartOffsets;
    private final CarriedCheckpoint highWatermarks;
    private final OffsetCheckpointFile cleanerOffsetFile;
    private final Map<TopicPartition, Long> cleanerOffsets;
    private final Set<TopicPartition> partitions;
    private final Set<TopicPartition> unopened;

    private LogDirectory(Path path, boolean cleanShutdown, Map<TopicPartition, Long> recoveryPoints,
            Map<TopicPartition, Long> logStartOffsets, Map<TopicPartition, Long> highWatermarks,
            Map<TopicPartition, Long> cleanerOffsets, Set<TopicPartition> partitions) {
        this.path = path;
        this.cleanShutdown = cleanShutdown;
        this.recoveryPoints = new CarriedCheckpoint(path, OffsetCheckpointFile.RECOVERY_POINT_FILE, recoveryPoints,
                PartitionLog::recoveryPoint);
        this.logStartOffsets = new CarriedCheckpoint(path, OffsetCheckpointFile.LOG_START_OFFSET_FILE, logStartOffsets,
                PartitionLog::logStartOffset);
        this.highWatermarks = new CarriedCheckpoint(path, OffsetCheckpointFile.HIGH_WATERMARK_FILE, highWatermarks,
                PartitionLog::highWatermark);
        this.cleanerOffsetFile = new OffsetCheckpointFile(path.resolve(OffsetCheckpointFile.CLEANER_OFFSET_FILE));
        this.cleanerOffsets = cleanerOffsets;
        this.partitions = partitions;
        this.unopened = new HashSet<>(partitions);
    }

    /**
     * Creates the directory if needed, reads its checkpoints and consumes the clean-shutdown
     * marker (deleted now, so a crash before the next clean close counts as unclean).
     */
    static LogDirectory open(Path path) throws IOException {
        Files.createDirectories(path);
        Path marker = path.resolve(CLEAN_SHUTDOWN_FILE);
        boolean clean = Files.exists(marker);
        Optional<Map<TopicPartition, Long>> recoveryPoints = readCheckpoint(path, OffsetCheckpointFile.RECOVERY_POINT_FILE,
                "recovering all logs");
        clean &= recoveryPoints.isPresent();
        Map<TopicPartition, Long> logStartOffsets = readCheckpoint(path, OffsetCheckpointFile.LOG_START_OFFSET_FILE,
                "log start offsets follow the first segments").orElseGet(HashMap::new);
        Map<TopicPartition, Long> highWatermarks = readCheckpoint(path, OffsetCheckpointFile.HIGH_WATERMARK_FILE,
                "replicated partitions start with their high watermark at the log start").orElseGet(HashMap::new);
        Map<TopicPartition, Long> cleanerOffsets = readCheckpoint(path, OffsetCheckpointFile.CLEANER_OFFSET_FILE,
                "compacted logs are cleaned from their start").orElseGet(HashMap::new);
        Files.deleteIfExists(marker);
        AtomicFileWriter.fsyncDirectory(path);
        Set<TopicPartition> partitions = listPartitions(path);
        if (!clean && !partitions.isEmpty()) {
            LOG.info("Log directory {} was not shut down cleanly: its {} partition(s) will be recovered", path, partitions.size());
        }
        return new LogDirectory(path, clean, recoveryPoints.orElseGet(HashMap::new), logStartOffsets, highWatermarks,
                cleanerOffsets, partitions);
    }

    /** A checkpoint file's entries, or empty (with a warning saying what that costs) if it cannot be read. */
    private static Optional<Map<TopicPartition, Long>> readCheckpoint(Path dir, String name, String consequence) {
        try {
            return Optional.of(new OffsetCheckpointFile(dir.resolve(name)).read());
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable {} in {}, {}: {}", name, dir, consequence, e.getMessage());
            return Optional.empty();
        }
    }

    Path path() {
        return path;
    }

    boolean cleanShutdown() {
        return cleanShutdown;
    }

    boolean holds(TopicPartition tp) {
        return partitions.contains(tp);
    }

    int partitionCount() {
        return partitions.size();
    }

    Path partitionDir(TopicPartition tp) {
        return path.resolve(tp.topic() + "-" + tp.partition());
    }

    long recoveryPoint(TopicPartition tp) {
        return recoveryPoints.offsetAtStartup(tp);
    }

    long logStartOffset(TopicPartition tp) {
        return logStartOffsets.offsetAtStartup(tp);
    }

    /** The checkpointed high watermark of {@code tp}; 0 if it has none. */
    long highWatermark(TopicPartition tp) {
        return highWatermarks.offsetAtStartup(tp);
    }

    /** The partition now has an open log here, whose offsets replace the carried ones. */
    void opened(TopicPartition tp) {
        partitions.add(tp);
        unopened.remove(tp);
    }

    void removed(TopicPartition tp) {
        partitions.remove(tp);
        unopened.remove(tp);
        recoveryPoints.forget(tp);
        logStartOffsets.forget(tp);
        highWatermarks.forget(tp);
        cleanerOffsets.remove(tp);
    }

    /** The first offset of {@code tp} the cleaner has not cleaned, if it has cleaned the log before. */
    Optional<Long> cleanerOffset(TopicPartition tp) {
        return Optional.ofNullable(cleanerOffsets.get(tp));
    }

    /**
     * Records and persists where the cleaner stopped in {@code tp}. The file holds only partitions
     * this directory still holds, so deleted ones drop out.
     */
    void updateCleanerOffset(TopicPartition tp, long offset) throws IOException {
        cleanerOffsets.put(tp, offset);
        writeCleanerOffsets();
    }

    private void writeCleanerOffsets() throws IOException {
        cleanerOffsets.keySet().retainAll(partitions);
        cleanerOffsetFile.write(cleanerOffsets);
    }

    /**
     * Writes the recovery-point, log-start-offset and high-watermark checkpoints (live values of
     * {@code logs}, all in this directory, plus carried entries) and the cleaner checkpoint.
     */
    void writeCheckpoints(Collection<PartitionLog> logs) throws IOException {
        recoveryPoints.write(unopened, logs);
        logStartOffsets.write(unopened, logs);
        highWatermarks.write(unopened, logs);
        writeCleanerOffsets();
    }

    /**
     * Marks the directory cleanly shut down, unless it was unclean and some partition was never
     * opened (and so never recovered) during this run: it must still be recovered next time.
     */
    void writeCleanShutdownMarker() throws IOException {
        if (!cleanShutdown && !unopened.isEmpty()) {
            LOG.warn("Not marking {} clean: partitions {} were never recovered", path, unopened);
            return;
        }
        Files.write(path.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
        AtomicFileWriter.fsyncDirectory(path);
    }

    /** Directories renamed for deletion that a previous run did not finish deleting. */
    List<Path> leftoverDeletions() throws IOException {
        try (Stream<Path> children = Files.list(path)) {
            return children.filter(p -> Files.isDirectory(p) && p.getFileName().toString().endsWith(DELETE_DIR_SUFFIX))
                    .toList();
        }
    }

    private static Set<TopicPartition> listPartitions(Path path) throws IOException {
        Set<TopicPartition> found = new HashSet<>();
        try (Stream<Path> children = Files.list(path)) {
            children.filter(Files::isDirectory)
                    .map(child -> parsePartition(child.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .forEach(found::add);
        }
        return found;
    }

    /** {@code <topic>-<partition>} as a TopicPartition; empty for anything else (e.g. deletion dirs). */
    static Optional<TopicPartition> parsePartition(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        try {
            int partition = Integer.parseInt(name.substring(dash + 1));
            return partition < 0 ? Optional.empty() : Optional.of(new TopicPartition(name.substring(0, dash), partition));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
