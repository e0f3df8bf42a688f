package io.runnel.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;

import io.runnel.storage.checkpoint.AtomicFileWriter;
import io.runnel.storage.epoch.EpochEntry;
import io.runnel.storage.epoch.LeaderEpochCache;
import io.runnel.storage.producer.CompletedTxn;
import io.runnel.storage.producer.ProducerStateManager;
import io.runnel.storage.segment.LogSegment;
import io.runnel.storage.segment.SegmentFiles;
import io.runnel.storage.segment.SegmentWriter;
import io.runnel.storage.txn.AbortedTxn;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory: removes temp files, opens segments, and after an unclean shutdown
 * validates every batch from the recovery point on, truncating at the first torn or corrupt batch
 * and deleting later segments. Indexes that are missing or inconsistent are rebuilt even after a
 * clean shutdown, and an active segment whose tail turns out damaged is recovered the same way. Producer state and leader epochs are then made consistent with the recovered
 * log end offset. Used by one thread while the log is not yet visible to anyone else.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);
    private static final List<String> TEMP_SUFFIXES = List.of(SegmentFiles.DELETED_SUFFIX, ".tmp");

    private final Path dir;
    private final LogConfig config;
    private final long nowMs;
    private final SegmentWriter writer;

    LogLoader(Path dir, LogConfig config, long nowMs, SegmentWriter writer) {
        this.dir = dir;
        this.config = config;
        this.nowMs = nowMs;
        this.writer = writer;
    }

    LoadedLog load(boolean cleanShutdown, long checkpointedRecoveryPoint, long checkpointedLogStartOffset)
            throws IOException {
        removeTempFilesAndCompleteSwaps();
        ConcurrentSkipListMap<Long, LogSegment> segments = openSegments();
        if (segments.isEmpty()) {
            long base = Math.max(0, checkpointedLogStartOffset);
            segments.put(base, LogSegment.create(dir, base, config.indexIntervalBytes(), config.segmentIndexBytes(), nowMs, writer));
        }
        List<EpochEntry> recoveredEpochs = new ArrayList<>();
        long recoveredFrom = cleanShutdown ? Long.MAX_VALUE : recoverFrom(checkpointedRecoveryPoint, segments);
        if (!cleanShutdown) {
            recover(segments, recoveredFrom, recoveredEpochs);
        }
        rebuildInvalidIndexes(segments.headMap(recoveredFrom));
        LogSegment active = segments.lastEntry().getValue();
        active.onBecomeActive(config.segmentIndexBytes());
        long logEndOffset = loadActiveSegment(active, recoveredEpochs);
        long logStartOffset = Math.min(Math.max(checkpointedLogStartOffset, segments.firstKey()), logEndOffset);
        long recoveryPoint = cleanShutdown ? Math.min(checkpointedRecoveryPoint, logEndOffset) : logEndOffset;
        LeaderEpochCache epochs = loadEpochs(recoveredEpochs, logStartOffset, logEndOffset);
        ProducerStateManager producers = loadProducerState(segments, logEndOffset, recoveredFrom);
        if (cleanShutdown) {
            LOG.debug("Loaded {} with {} segments, log start offset {}, log end offset {}", dir, segments.size(), logStartOffset, logEndOffset);
        } else {
            LOG.info("Recovered {}: {} segments, log start offset {}, log end offset {}", dir, segments.size(), logStartOffset, logEndOffset);
        }
        return new LoadedLog(segments, logEndOffset, logStartOffset, recoveryPoint, producers, epochs);
    }

    /**
     * Deletes leftovers ({@code .deleted}, {@code .tmp}, {@code .cleaned}) and completes a swap of
     * cleaned segments that a crash interrupted, as Kafka does: a {@code .cleaned} file means its
     * cleaning never reached the swap, so {@code .swap} files of that segment or later ones (an index
     * renamed before the crash) are incomplete too and go; each remaining {@code .swap} log file
     * replaces the segments whose base offsets lie in the offset range it covers, which are deleted
     * before the {@code .swap} files get their final names. The cleaner keeps the last batch of every
     * segment group it cleans, so that range reaches the end of every segment the swap replaces.
     */
    private void removeTempFilesAndCompleteSwaps() throws IOException {
        long minCleanedBase = Long.MAX_VALUE;
        List<Path> swapFiles = new ArrayList<>();
        for (Path file : listFiles()) {
            String name = file.getFileName().toString();
            if (name.endsWith(SegmentFiles.CLEANED_SUFFIX)) {
                minCleanedBase = Math.min(minCleanedBase, baseOffsetOf(file, SegmentFiles.CLEANED_SUFFIX));
                deleteLeftover(file);
            } else if (name.endsWith(SegmentFiles.SWAP_SUFFIX)) {
                swapFiles.add(file);
            } else if (TEMP_SUFFIXES.stream().anyMatch(name::endsWith)) {
                deleteLeftover(file);
            }
        }
        long swapStart = Long.MAX_VALUE;
        long swapEnd = Long.MIN_VALUE;
        List<Path> completeSwapFiles = new ArrayList<>();
        for (Path swap : swapFiles) {
            long base = baseOffsetOf(swap, SegmentFiles.SWAP_SUFFIX);
            if (base >= minCleanedBase) {
                deleteLeftover(swap);
                continue;
            }
            completeSwapFiles.add(swap);
            if (swap.equals(SegmentFiles.LOG.path(dir, base, SegmentFiles.SWAP_SUFFIX))) {
                swapStart = Math.min(swapStart, base);
                // at least its own base: a cleaned group of empty segments is empty too, and replaces the one at its base
                swapEnd = Math.max(swapEnd, Math.max(nextOffsetOf(swap, base), base + 1));
            }
        }
        for (Path file : listFiles()) {
            long base = baseOffsetOf(file, "");
            if (base >= swapStart && base < swapEnd) {
                LOG.info("Deleting segment file {}, replaced by an interrupted swap of cleaned segments", file);
                Files.deleteIfExists(file);
            }
        }
        for (Path swap : completeSwapFiles) {
            String name = swap.getFileName().toString();
            Path target = swap.resolveSibling(name.substring(0, name.length() - SegmentFiles.SWAP_SUFFIX.length()));
            LOG.info("Completing interrupted swap: renaming {} to {}", swap.getFileName(), target.getFileName());
            Files.move(swap, target, StandardCopyOption.ATOMIC_MOVE);
        }
        AtomicFileWriter.fsyncDirectory(dir);
    }

    private List<Path> listFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void deleteLeftover(Path file) throws IOException {
        LOG.info("Deleting leftover file {}", file);
        Files.deleteIfExists(file);
    }

    /** The base offset a segment file ({@code .log}, {@code .index}, {@code .timeindex}) plus {@code extra} names, or -1. */
    private static long baseOffsetOf(Path file, String extra) {
        String name = file.getFileName().toString();
        if (!name.endsWith(extra)) {
            return -1;
        }
        Path stripped = Path.of(name.substring(0, name.length() - extra.length()));
        long base = -1;
        for (SegmentFiles kind : SegmentFiles.values()) {
            base = Math.max(base, kind.baseOffsetOf(stripped));
        }
        return base;
    }

    /** The offset after the last batch of a swap log file. */
    private static long nextOffsetOf(Path swapLog, long base) throws IOException {
        long next = base;
        try (FileRecords records = FileRecords.open(swapLog.toFile(), false)) {
            for (RecordBatch batch : records.batches()) {
                next = batch.nextOffset();
            }
        }
        return next;
    }

    private ConcurrentSkipListMap<Long, LogSegment> openSegments() throws IOException {
        ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.toList();
        }
        for (Path file : files) {
            long base = SegmentFiles.LOG.baseOffsetOf(file);
            if (base >= 0) {
                segments.put(base, LogSegment.open(dir, base, config.indexIntervalBytes(), config.segmentIndexBytes(), nowMs, writer));
            }
        }
        for (Path file : files) {
            long base = Math.max(Math.max(SegmentFiles.OFFSET_INDEX.baseOffsetOf(file), SegmentFiles.TIME_INDEX.baseOffsetOf(file)),
                    SegmentFiles.TXN_INDEX.baseOffsetOf(file));
            if (base >= 0 && !segments.containsKey(base)) {
                LOG.info("Deleting index {} that has no log file", file);
                Files.deleteIfExists(file);
            }
        }
        return segments;
    }

    /** Base offset of the first segment needing validation: the one holding the recovery point. */
    private static long recoverFrom(long recoveryPoint, ConcurrentSkipListMap<Long, LogSegment> segments) {
        Long floor = segments.floorKey(Math.max(recoveryPoint, 0));
        return floor == null ? segments.firstKey() : floor;
    }

    private void recover(ConcurrentSkipListMap<Long, LogSegment> segments, long from, List<EpochEntry> epochs)
            throws IOException {
        LOG.info("Recovering {} from segment {} after an unclean shutdown", dir, from);
        for (LogSegment segment : new ArrayList<>(segments.tailMap(from).values())) {
            // rebuilt with producer state once the segments are whole (see loadProducerState)
            segment.txnIndex().reset();
            int truncated = segment.recover(config.segmentIndexBytes(), batch -> collectEpoch(batch, epochs));
            segment.flush();
            if (truncated > 0) {
                deleteSegmentsAfter(segments, segment.baseOffset());
            }
            if (segment != segments.lastEntry().getValue()) {
                segment.onBecomeInactive();
            }
            if (truncated > 0) {
                return;
            }
        }
    }

    /**
     * The next offset of the active segment. Its tail is checked even after a clean shutdown;
     * if it is damaged the segment is recovered like after an unclean one rather than failing the
     * load, which would keep the broker from starting.
     */
    private long loadActiveSegment(LogSegment active, List<EpochEntry> epochs) throws IOException {
        try {
            return active.loadTail();
        } catch (CorruptRecordException e) {
            LOG.warn("Recovering active segment {}: {}", active.logFile(), e.getMessage());
            active.recover(config.segmentIndexBytes(), batch -> collectEpoch(batch, epochs));
            active.flush();
            return active.loadTail();
        }
    }

    private void deleteSegmentsAfter(ConcurrentSkipListMap<Long, LogSegment> segments, long baseOffset)
            throws IOException {
        for (Map.Entry<Long, LogSegment> later : new ArrayList<>(segments.tailMap(baseOffset, false).entrySet())) {
            LOG.warn("Deleting segment {} that follows a truncated segment", later.getValue().logFile());
            segments.remove(later.getKey());
            later.getValue().closeAndDelete();
        }
    }

    private static void indexRecovered(ConcurrentSkipListMap<Long, LogSegment> segments, CompletedTxn completed,
            long lastStableOffset) {
        LogSegment segment = segments.floorEntry(completed.lastOffset()).getValue();
        try {
            segment.appendAbortedTxn(new AbortedTxn(completed.producerId(), completed.firstOffset(), completed.lastOffset(),
                    lastStableOffset));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rebuild the transaction index of " + segment.logFile(), e);
        }
    }

    private void rebuildInvalidIndexes(Map<Long, LogSegment> segments) throws IOException {
        for (LogSegment segment : segments.values()) {
            if (!segment.indexesLookValid()) {
                LOG.warn("Rebuilding missing or corrupt indexes of {}", segment.logFile());
                if (!segment.txnIndex().isConsistent()) {
                    // entries below the segment's base are garbage; its aborted transactions are lost to it
                    LOG.warn("Dropping the corrupt transaction index of {}", segment.logFile());
                    segment.txnIndex().reset();
                }
                segment.recover(config.segmentIndexBytes(), batch -> { });
                segment.onBecomeInactive();
            }
        }
    }

    private static void collectEpoch(RecordBatch batch, List<EpochEntry> epochs) {
        int epoch = batch.partitionLeaderEpoch();
        if (epoch >= 0 && (epochs.isEmpty() || epochs.get(epochs.size() - 1).epoch() < epoch)) {
            epochs.add(new EpochEntry(epoch, batch.baseOffset()));
        }
    }

    private LeaderEpochCache loadEpochs(List<EpochEntry> recovered, long logStartOffset, long logEndOffset)
            throws IOException {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.truncateFromEnd(logEndOffset);
        for (EpochEntry entry : recovered) {
            cache.assign(entry.epoch(), entry.startOffset());
        }
        cache.truncateFromStart(logStartOffset);
        return cache;
    }

    /**
     * Replaces the state of {@code producers} with the newest usable snapshot at or below
     * {@code logEndOffset} (deleting later ones) plus the batches written after it, each counted as
     * seen at {@code nowMs}; used at load and when the log is truncated. Transactional batches reopen
     * their transactions and markers complete them, so open transactions are rebuilt from the log; the
     * completed ones wait for the caller to apply the high watermark.
     *
     * @return the offset of the snapshot used, or -1 if the whole log was replayed
     */
    static long rebuildProducerState(ProducerStateManager producers, NavigableMap<Long, LogSegment> segments,
            long logEndOffset, long nowMs) throws IOException {
        return rebuildProducerState(producers, segments, logEndOffset, logEndOffset, nowMs, null);
    }

    /**
     * As {@link #rebuildProducerState(ProducerStateManager, NavigableMap, long, long)}, from a snapshot at
     * or below {@code snapshotLimit}; the transactions that replayed markers abort are passed to
     * {@code aborted} (if not null) with their last stable offset.
     */
    private static long rebuildProducerState(ProducerStateManager producers, NavigableMap<Long, LogSegment> segments,
            long snapshotLimit, long logEndOffset, long nowMs, ObjLongConsumer<CompletedTxn> aborted) throws IOException {
        long snapshotOffset = producers.loadLatestSnapshot(snapshotLimit);
        long replayFrom = Math.max(snapshotOffset, segments.firstKey());
        if (replayFrom < logEndOffset) {
            Long fromSegment = segments.floorKey(replayFrom);
            for (LogSegment segment : segments.tailMap(fromSegment, true).values()) {
                for (RecordBatch batch : segment.batchesFrom(replayFrom)) {
                    if (batch.lastOffset() >= replayFrom) {
                        producers.applyBatch(batch, nowMs, aborted);
                    }
                }
            }
        }
        return snapshotOffset;
    }

    /**
     * Loads the newest usable snapshot, then replays the batch headers written after it. A replayed
     * batch counts as seen now ({@code nowMs}): live appends record the broker clock, not the batch's
     * (producer-chosen, possibly old or absent) CreateTime, and when a replayed batch was appended is
     * not on disk; taking now can only make a producer look younger, never expire an active one and
     * break the idempotence of its retries. Producers restored from the snapshot keep their recorded
     * (broker-clock) times, so those that expired while the broker was down are still dropped.
     *
     * <p>After an unclean stop the replay starts at or below {@code recoveredFrom} (later snapshots
     * are dropped), and every aborted transaction whose marker lies in a recovered segment is appended
     * to that segment's transaction index, reset by {@link #recover}, as Kafka's recovery does.
     */
    private ProducerStateManager loadProducerState(ConcurrentSkipListMap<Long, LogSegment> segments, long logEndOffset,
            long recoveredFrom) throws IOException {
        ProducerStateManager producers = new ProducerStateManager(dir);
        long snapshotLimit = Math.min(recoveredFrom, logEndOffset);
        ObjLongConsumer<CompletedTxn> indexer = (completed, lastStableOffset) -> {
            if (completed.lastOffset() >= recoveredFrom) {
                indexRecovered(segments, completed, lastStableOffset);
            }
        };
        long snapshotOffset = rebuildProducerState(producers, segments, snapshotLimit, logEndOffset, nowMs, indexer);
        // as Kafka does on load, so producers that expired while the broker was down are not revived
        producers.removeExpiredProducers(nowMs, config.producerIdExpirationMs());
        if (snapshotOffset != logEndOffset) {
            producers.takeSnapshot(logEndOffset);
        }
        AtomicFileWriter.fsyncDirectory(dir);
        return producers;
    }
}
