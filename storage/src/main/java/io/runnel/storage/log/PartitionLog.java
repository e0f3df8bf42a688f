package io.runnel.storage.log;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjLongConsumer;

import io.runnel.storage.checkpoint.AtomicFileWriter;
import io.runnel.storage.checkpoint.PartitionMetadataFile;
import io.runnel.storage.epoch.EpochEndOffset;
import io.runnel.storage.epoch.LeaderEpochCache;
import io.runnel.storage.producer.ActiveProducer;
import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.BatchMetadata;
import io.runnel.storage.producer.CompletedTxn;
import io.runnel.storage.producer.LastRecord;
import io.runnel.storage.producer.ProducerAppendValidator;
import io.runnel.storage.producer.ProducerStateManager;
import io.runnel.storage.producer.TxnMarker;
import io.runnel.storage.producer.VerificationGuard;
import io.runnel.storage.segment.ByteRange;
import io.runnel.storage.segment.LogSegment;
import io.runnel.storage.segment.SegmentFiles;
import io.runnel.storage.segment.SegmentWriter;
import io.runnel.storage.segment.UndoFailedException;
import io.runnel.storage.txn.AbortedTxn;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: an ordered set of segments in {@code <logDir>/<topic>-<partition>/},
 * with producer state (idempotence and transactions) and the leader epoch cache.
 *
 * <p>Transactions: offsets from the first unstable offset on (the first offset of the oldest open
 * transaction, or of a completed one whose marker is not yet below the high watermark) are not stable;
 * the {@linkplain #lastStableOffset() last stable offset} is the lower of it and the high watermark.
 * The first unstable position is recomputed only when a transactional batch or marker is written, the
 * high watermark passes a marker, or the log is cut; non-transactional appends never touch it.
 *
 * <p>Threading: thread-safe. Mutations (append, roll, retention, close) are serialized by an
 * internal writer lock; reads ({@link #read}, offset/timestamp lookups, the offset getters) take
 * no lock and see only data below the volatile high watermark, which moves after the bytes are
 * written. Flushing (periodic, on {@code flush.messages}, or explicit) runs outside the writer lock
 * under a separate flush lock, so an fsync never stalls appends or reads; "flushed up to" is the
 * {@link #recoveryPoint()}. A failed write that cannot be undone, or a failed fsync, takes the log
 * {@linkplain #isOffline() offline}.
 */
public final class PartitionLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final Path dir;
    private final Clock clock;
    private final DeletionScheduler deletions;
    private final SegmentWriter writer;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final ProducerStateManager producerState;
    private final LeaderEpochCache epochCache;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object flushLock = new Object();
    private volatile LogConfig config;
    private volatile LogPosition logEnd;
    private volatile LogPosition highWatermark;
    private volatile long logStartOffset;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile boolean closed;
    private volatile boolean offline;
    private volatile boolean highWatermarkManagedExternally;
    /** Where the first unstable offset lies, or null when no transaction is open or unreplicated. */
    private volatile LogPosition firstUnstable;
    private volatile boolean transactionVerificationEnabled;
    private volatile SwapObserver swapObserver = step -> { };
    /** Writer lock held: records a transaction a marker just appended aborted, in the active segment's index. */
    private final ObjLongConsumer<CompletedTxn> abortedTxnIndexer = this::indexAbortedTxn;

    private PartitionLog(TopicPartition topicPartition, Uuid topicId, Path dir, LogConfig config, Clock clock,
            DeletionScheduler deletions, SegmentWriter writer, LoadedLog loaded, long checkpointedHighWatermark,
            boolean highWatermarkManagedExternally) {
        this.topicPartition = topicPartition;
        this.writer = writer;
        this.topicId = topicId;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.deletions = deletions;
        this.segments = loaded.segments();
        this.producerState = loaded.producerState();
        this.epochCache = loaded.epochCache();
        this.logStartOffset = loaded.logStartOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.lastFlushMs = clock.millis();
        LogSegment active = segments.lastEntry().getValue();
        this.logEnd = new LogPosition(loaded.logEndOffset(), active.baseOffset(), active.size());
        this.highWatermarkManagedExternally = highWatermarkManagedExternally;
        this.highWatermark = highWatermarkManagedExternally
                ? positionOf(Math.min(Math.max(checkpointedHighWatermark, logStartOffset), logEnd.offset()))
                : logEnd;
        producerState.onHighWatermarkUpdated(highWatermark.offset());
        updateFirstUnstable();
    }

    /**
     * Opens (recovering if {@code cleanShutdown} is false) or creates the log in {@code dir}.
     * Checks and writes {@code partition.metadata}.
     *
     * @throws InconsistentTopicIdException if the directory belongs to another topic id
     */
    static PartitionLog open(Path dir, TopicPartition topicPartition, Uuid topicId, LogConfig config, Clock clock,
            DeletionScheduler deletions, boolean cleanShutdown, long recoveryPoint, long logStartOffset)
            throws IOException {
        return open(dir, topicPartition, topicId, config, clock, deletions, cleanShutdown, recoveryPoint,
                logStartOffset, SegmentWriter.DIRECT);
    }

    /** As the other {@code open}, with segment writes going through {@code writer} (tests inject failures). */
    static PartitionLog open(Path dir, TopicPartition topicPartition, Uuid topicId, LogConfig config, Clock clock,
            DeletionScheduler deletions, boolean cleanShutdown, long recoveryPoint, long logStartOffset,
            SegmentWriter writer) throws IOException {
        return open(dir, topicPartition, topicId, config, clock, deletions, cleanShutdown, recoveryPoint, logStartOffset,
                writer, 0, false);
    }

    /**
     * As the other {@code open}; with {@code highWatermarkManagedExternally} the high watermark starts at
     * {@code highWatermark} (the checkpointed one, kept within the recovered log), otherwise at the log end.
     */
    static PartitionLog open(Path dir, TopicPartition topicPartition, Uuid topicId, LogConfig config, Clock clock,
            DeletionScheduler deletions, boolean cleanShutdown, long recoveryPoint, long logStartOffset,
            SegmentWriter writer, long highWatermark, boolean highWatermarkManagedExternally) throws IOException {
        PartitionMetadataFile metadata = new PartitionMetadataFile(dir);
        Optional<Uuid> stored = metadata.read();
        if (stored.isPresent() && !stored.get().equals(topicId)) {
            throw new InconsistentTopicIdException("Log " + dir + " belongs to topic id " + stored.get()
                    + ", not " + topicId);
        }
        if (stored.isEmpty()) {
            metadata.write(topicId);
        }
        LoadedLog loaded = new LogLoader(dir, config, clock.millis(), writer)
                .load(cleanShutdown, recoveryPoint, logStartOffset);
        return new PartitionLog(topicPartition, topicId, dir, config, clock, deletions, writer, loaded, highWatermark,
                highWatermarkManagedExternally);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    /** The partition directory. */
    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEnd.offset();
    }

    /**
     * Offsets below the high watermark are visible to consumers. Unless it is
     * {@linkplain #setHighWatermarkManagedExternally managed externally} it equals the log end offset.
     */
    public long highWatermark() {
        return highWatermark.offset();
    }

    /** Whether the high watermark moves only by {@link #updateHighWatermark} (and truncation). Any thread. */
    public boolean isHighWatermarkManagedExternally() {
        return highWatermarkManagedExternally;
    }

    /**
     * With {@code true} (a replicated partition), {@link #appendAsLeader} no longer moves the high
     * watermark: the replication layer does, with {@link #updateHighWatermark}, once the ISR has the
     * records. With {@code false} (one replica, the default) every leader append moves it to the log end,
     * and it is moved there now. Any thread; serialized with appends.
     */
    public void setHighWatermarkManagedExternally(boolean managed) {
        writeLock.lock();
        try {
            highWatermarkManagedExternally = managed;
            if (!managed) {
                highWatermark = logEnd;
                releaseReplicatedTxns();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Moves the high watermark up to {@code offset}, kept within [log start offset, log end offset]. It
     * never moves back here (only {@link #truncateTo} lowers it). Any thread; serialized with appends.
     *
     * @return the high watermark afterwards
     * @throws KafkaStorageException if the log is closed or offline
     */
    public long updateHighWatermark(long offset) {
        writeLock.lock();
        try {
            ensureOpen();
            long bounded = Math.min(Math.max(offset, logStartOffset), logEnd.offset());
            if (bounded > highWatermark.offset()) {
                highWatermark = positionOf(bounded);
                releaseReplicatedTxns();
            }
            return highWatermark.offset();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The last stable offset: records below it are decided (no transaction of theirs is open, and every
     * marker closing one is below the high watermark), so read_committed consumers may see them. Equal
     * to the high watermark when no transaction is unstable. Any thread.
     */
    public long lastStableOffset() {
        LogPosition unstable = firstUnstable;
        LogPosition visible = highWatermark;
        return unstable != null && unstable.offset() < visible.offset() ? unstable.offset() : visible.offset();
    }

    /** The first offset not yet stable (see {@link #lastStableOffset()}), unbounded by the high watermark, if any. Any thread. */
    public OptionalLong firstUnstableOffset() {
        LogPosition unstable = firstUnstable;
        return unstable == null ? OptionalLong.empty() : OptionalLong.of(unstable.offset());
    }

    /** Whether {@code producerId} has a transaction open in this partition. Any thread. */
    public boolean hasOngoingTxn(long producerId) {
        writeLock.lock();
        try {
            return producerState.hasOpenTxn(producerId);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * With {@code true} (Kafka's {@code transaction.partition.verification.enable}), a client's
     * transactional batch may open a transaction only with the guard {@link #startVerification} gave
     * (KIP-890); otherwise it gets INVALID_TXN_STATE. Off by default. Any thread.
     */
    public void setTransactionVerificationEnabled(boolean enabled) {
        transactionVerificationEnabled = enabled;
    }

    /**
     * Starts (or joins) the verification of a transactional batch of {@code producerId} with the
     * transaction coordinator, before the batch is appended. Returns the guard the append must carry
     * once the coordinator confirmed the partition is in the transaction, or
     * {@link VerificationGuard#NONE} if the producer already has a transaction open here. Any thread.
     *
     * @param supportsEpochBump whether the producer uses transaction version 2 (its transaction starts at sequence 0)
     */
    public VerificationGuard startVerification(long producerId, int sequence, short epoch, boolean supportsEpochBump) {
        writeLock.lock();
        try {
            return producerState.startVerification(producerId, sequence, epoch, supportsEpochBump, clock.millis());
        } finally {
            writeLock.unlock();
        }
    }

    /** Writer lock held; the high watermark moved up: completed transactions whose marker it passed become stable. */
    private void releaseReplicatedTxns() {
        if (producerState.hasUnreplicatedTxns()) {
            producerState.onHighWatermarkUpdated(highWatermark.offset());
            updateFirstUnstable();
        }
    }

    /**
     * Writer lock held, or not yet published. Recomputes where the first unstable offset lies, kept at
     * or above the log start offset; the segment is searched only when the offset changed.
     */
    private void updateFirstUnstable() {
        long offset = producerState.firstUnstableOffset();
        if (offset < 0) {
            firstUnstable = null;
            return;
        }
        offset = Math.max(offset, logStartOffset);
        LogPosition current = firstUnstable;
        if (current == null || current.offset() != offset) {
            firstUnstable = positionOf(offset);
        }
    }

    /**
     * Where {@code offset} (log start to log end) lies: in the segment holding it, at the start of the
     * batch holding it (or of the next batch, if compaction removed it), so a read bounded by the
     * position stops before that batch. Writer lock held, or not yet published.
     */
    private LogPosition positionOf(long offset) {
        LogPosition end = logEnd;
        if (offset >= end.offset()) {
            return end;
        }
        LogSegment segment = segments.floorEntry(offset).getValue();
        for (FileChannelRecordBatch batch : segment.batchesFrom(offset)) {
            if (batch.lastOffset() >= offset) {
                return new LogPosition(offset, segment.baseOffset(), batch.position());
            }
        }
        return new LogPosition(offset, segment.baseOffset(), segment.size());
    }

    /**
     * Offsets below this are known to be on disk: their segments' bytes and indexes were fsynced.
     * It only moves forward, once the fsync has returned; appends above it may be in the page cache only.
     */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    public int latestEpoch() {
        return epochCache.latestEpoch();
    }

    public long sizeInBytes() {
        return segments.values().stream().mapToLong(LogSegment::size).sum();
    }

    public int segmentCount() {
        return segments.size();
    }

    /**
     * True once a failed write could not be undone (the active segment may hold bytes past its last
     * batch) or an fsync failed (data below the log end may never reach the disk, even if a later
     * fsync succeeds): appends, reads and flushes are refused until a restart recovers the log.
     */
    public boolean isOffline() {
        return offline;
    }

    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    /**
     * A client's append ({@link AppendOrigin#CLIENT}) that carries no verification guard; see
     * {@link #appendAsLeader(ByteBuffer, int, AppendOrigin, VerificationGuard, short)}.
     */
    public AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch) {
        return appendAsLeader(batches, leaderEpoch, AppendOrigin.CLIENT, VerificationGuard.NONE,
                TxnMarker.UNKNOWN_TRANSACTION_VERSION);
    }

    /**
     * Validates the batches in {@code batches} (position to limit) by the rules of {@code origin},
     * assigns their offsets in place and appends them with one write. Either the whole request is
     * appended or nothing is. Control batches (transaction markers) are accepted from the
     * {@link AppendOrigin#COORDINATOR} only, and checked with the epoch rules of
     * {@code markerTxnVersion} (the transaction version, or {@link TxnMarker#UNKNOWN_TRANSACTION_VERSION}).
     *
     * @param guard the verification guard of a client's transactional batch, or {@link VerificationGuard#NONE}
     * @throws org.apache.kafka.common.InvalidRecordException      not magic v2, control batch from a client, bad record count
     * @throws org.apache.kafka.common.errors.RecordTooLargeException     a batch exceeds max.message.bytes
     * @throws org.apache.kafka.common.errors.CorruptRecordException      CRC mismatch or unreadable batch
     * @throws org.apache.kafka.common.errors.OutOfOrderSequenceException idempotent sequence gap
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException stale producer epoch (data or marker)
     * @throws org.apache.kafka.common.errors.InvalidTxnStateException    a non-transactional batch of a producer with
     *                                                                    a transaction open, or an unverified one
     * @throws org.apache.kafka.common.errors.TransactionCoordinatorFencedException a marker from an older coordinator epoch
     * @throws KafkaStorageException                                      I/O failure or log closed
     */
    public AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch, AppendOrigin origin, VerificationGuard guard,
            short markerTxnVersion) {
        LogConfig current = config;
        AppendBatches append = AppendBatches.validate(batches, current, clock.millis(), origin);
        AppendResult result = appendLocked(() -> append(append, leaderEpoch, current, origin, guard, markerTxnVersion));
        maybeFlush(result, current);
        return result;
    }

    /**
     * Appends batches as the leader numbered them, with one write: their base offsets, partition leader
     * epochs, timestamps and producer ids and sequences are kept. The batches are checked (magic v2, CRC,
     * record counts, increasing offsets) and the first must start at the log end offset; producer state
     * records them without checking sequences (so this replica dedups retries if it becomes leader), and
     * the leader epoch cache gets each new partition leader epoch at the base offset of its first batch.
     * The high watermark does not move. Either the whole request is appended or nothing is. Any thread;
     * serialized with the other mutations.
     *
     * @throws UnexpectedAppendOffsetException the first batch does not start at the log end offset (a gap or
     *                                         an overlap), or batches overlap each other
     * @throws org.apache.kafka.common.InvalidRecordException not magic v2, bad record count
     * @throws org.apache.kafka.common.errors.CorruptRecordException CRC mismatch or unreadable batch
     * @throws KafkaStorageException I/O failure or log closed
     */
    public AppendResult appendAsFollower(ByteBuffer batches) {
        LogConfig current = config;
        AppendBatches append = AppendBatches.validateReplicated(batches);
        AppendResult result = appendLocked(() -> appendReplicated(append, current));
        maybeFlush(result, current);
        return result;
    }

    /** An append run under the writer lock. */
    @FunctionalInterface
    private interface LockedAppend {
        AppendResult run() throws IOException;
    }

    private AppendResult appendLocked(LockedAppend append) {
        writeLock.lock();
        try {
            ensureOpen();
            return append.run();
        } catch (UndoFailedException e) {
            offline = true;
            LOG.error("Log {} is offline until restarted: {}", topicPartition, e.getMessage());
            throw new KafkaStorageException("Append to " + topicPartition + " failed; the log is offline", e);
        } catch (IOException e) {
            throw new KafkaStorageException("Append to " + topicPartition + " failed", e);
        } finally {
            writeLock.unlock();
        }
    }

    private AppendResult append(AppendBatches append, int leaderEpoch, LogConfig current, AppendOrigin origin,
            VerificationGuard guard, short markerTxnVersion) throws IOException {
        List<MutableRecordBatch> batches = append.batches();
        Optional<BatchMetadata> duplicate = validateProducers(batches, origin, guard, markerTxnVersion);
        if (duplicate.isPresent()) {
            BatchMetadata original = duplicate.get();
            return new AppendResult(original.firstOffset(), original.lastOffset(), -1, logStartOffset,
                    batches.size(), 0, true);
        }
        long now = clock.millis();
        boolean logAppendTime = current.timestamps().isLogAppendTime();
        long firstOffset = logEnd.offset();
        long nextOffset = firstOffset;
        long maxTimestamp = -1;
        long offsetOfMaxTimestamp = firstOffset;
        for (MutableRecordBatch batch : batches) {
            long lastOffsetDelta = batch.lastOffset() - batch.baseOffset();
            batch.setLastOffset(nextOffset + lastOffsetDelta);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (logAppendTime) {
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, now);
            }
            if (batch.maxTimestamp() > maxTimestamp) {
                maxTimestamp = batch.maxTimestamp();
                offsetOfMaxTimestamp = batch.lastOffset();
            }
            nextOffset += lastOffsetDelta + 1;
        }
        long lastOffset = nextOffset - 1;
        LogSegment segment = maybeRoll(append.sizeInBytes(), maxTimestamp, lastOffset, now, current);
        segment.append(lastOffset, maxTimestamp, offsetOfMaxTimestamp, append.slice(0, batches.size()));
        boolean transactional = applyProducerState(batches, now);
        if (leaderEpoch > epochCache.latestEpoch()) {
            epochCache.assign(leaderEpoch, firstOffset);
        }
        logEnd = new LogPosition(nextOffset, segment.baseOffset(), segment.size());
        if (transactional) {
            // before the high watermark moves, so no reader sees it pass a transaction just opened; with one
            // replica a marker is replicated as soon as written, so its transaction is stable at once
            producerState.onHighWatermarkUpdated(highWatermarkManagedExternally ? highWatermark.offset() : logEnd.offset());
            updateFirstUnstable();
        }
        if (!highWatermarkManagedExternally) {
            highWatermark = logEnd;
        }
        return new AppendResult(firstOffset, lastOffset, logAppendTime ? now : -1, logStartOffset,
                batches.size(), append.sizeInBytes(), false);
    }

    private AppendResult appendReplicated(AppendBatches append, LogConfig current) throws IOException {
        List<MutableRecordBatch> batches = append.batches();
        long firstOffset = batches.get(0).baseOffset();
        long expected = logEnd.offset();
        if (firstOffset != expected) {
            throw new UnexpectedAppendOffsetException("Replicated batches of " + topicPartition + " start at offset "
                    + firstOffset + (firstOffset < expected ? ", which overlaps" : ", which leaves a gap after")
                    + " the log end offset " + expected, expected, firstOffset);
        }
        long lastOffset = batches.get(batches.size() - 1).lastOffset();
        long maxTimestamp = -1;
        long offsetOfMaxTimestamp = firstOffset;
        for (MutableRecordBatch batch : batches) {
            if (batch.maxTimestamp() > maxTimestamp) {
                maxTimestamp = batch.maxTimestamp();
                offsetOfMaxTimestamp = batch.lastOffset();
            }
        }
        long now = clock.millis();
        LogSegment segment = maybeRoll(append.sizeInBytes(), maxTimestamp, lastOffset, now, current);
        segment.append(lastOffset, maxTimestamp, offsetOfMaxTimestamp, append.slice(0, batches.size()));
        boolean transactional = applyProducerState(batches, now);
        logEnd = new LogPosition(lastOffset + 1, segment.baseOffset(), segment.size());
        if (transactional) {
            updateFirstUnstable();
        }
        for (MutableRecordBatch batch : batches) {
            if (batch.partitionLeaderEpoch() > epochCache.latestEpoch()) {
                epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
            }
        }
        return new AppendResult(firstOffset, lastOffset, -1, logStartOffset, batches.size(), append.sizeInBytes(), false);
    }

    /**
     * Records that {@code leaderEpoch} starts at {@code startOffset}, as a replica elected leader does
     * at its log end offset before any append of the new epoch (so OffsetForLeaderEpoch answers for
     * it at once). An epoch not above the latest one is ignored. Any thread; serialized with appends.
     *
     * @throws IllegalArgumentException if {@code startOffset} is outside [log start offset, log end offset]
     * @throws KafkaStorageException     if the log is closed or offline, or the checkpoint cannot be written
     */
    public void assignEpochStartOffset(int leaderEpoch, long startOffset) {
        writeLock.lock();
        try {
            ensureOpen();
            if (startOffset < logStartOffset || startOffset > logEnd.offset()) {
                throw new IllegalArgumentException("Epoch " + leaderEpoch + " cannot start at " + startOffset + ", outside ["
                        + logStartOffset + ", " + logEnd.offset() + "] of " + topicPartition);
            }
            epochCache.assign(leaderEpoch, startOffset);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot record leader epoch " + leaderEpoch + " of " + topicPartition, e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Cuts the log back so that it ends at {@code offset} (a follower whose log diverged from its new
     * leader's): later segments are removed (renamed {@code .deleted} newest first, so a crash leaves a
     * prefix of the log, and deleted after {@code file.delete.delay.ms}), the segment holding the offset
     * is cut (with its indexes) and fsynced, leader epochs from the offset on are forgotten, producer
     * state is rebuilt for the shorter log from its snapshots and batches, and the high watermark and
     * recovery point are lowered to the new end if above. If {@code offset} lies inside a batch, the
     * whole batch goes and the log ends at its base offset. On restart, whatever step a crash
     * interrupted, loading makes the epochs, snapshots and checkpointed offsets consistent with the files.
     * Reads racing with a truncation may get fewer bytes than their slice announces. At or above the log
     * end no record goes, but, as in Kafka, a leader epoch starting at the log end is forgotten: this
     * replica started it as a leader and wrote nothing in it, and a follower that kept it would name it
     * as its last fetched epoch to every later leader, be told it diverged, and truncate nothing, for ever.
     * Any thread; serialized with appends and flushes.
     *
     * @return whether any record was removed ({@code offset} at or above the log end removes none)
     * @throws OffsetOutOfRangeException if {@code offset} is below the log start offset
     * @throws KafkaStorageException     if the log is closed or offline, or an I/O failure took it offline
     */
    public boolean truncateTo(long offset) {
        writeLock.lock();
        try {
            ensureOpen();
            if (offset < logStartOffset) {
                throw new OffsetOutOfRangeException("Cannot truncate " + topicPartition + " to " + offset
                        + ", below its log start offset " + logStartOffset);
            }
            if (offset >= logEnd.offset()) {
                epochCache.truncateFromEnd(logEnd.offset());
                return false;
            }
            // a flush must neither fsync files being cut nor move the recovery point past the new end
            synchronized (flushLock) {
                try {
                    truncate(offset);
                } catch (IOException | RuntimeException e) {
                    // files and memory may disagree halfway through: only recovery can tell what is left
                    offline = true;
                    LOG.error("Log {} is offline until restarted: truncation to {} failed: {}", topicPartition, offset,
                            e.toString());
                    throw new KafkaStorageException("Truncation of " + topicPartition + " failed; the log is offline", e);
                }
            }
            return true;
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot forget the leader epochs at the log end of " + topicPartition, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Writer and flush locks held; log start offset &lt;= offset &lt; log end offset. */
    /**
     * Empties the log and starts it again at {@code offset}: a follower whose log ends below its leader's
     * log start offset holds nothing the leader still has, so it fetches on from there. Every segment is
     * removed (renamed {@code .deleted}, deleted after {@code file.delete.delay.ms}); an empty segment
     * starts at {@code offset}, which becomes the log start and end offset, high watermark and recovery
     * point; leader epochs and producer state (with its snapshots) are forgotten. A crash midway leaves
     * either the old segments or the new one, and loading takes the log start from the first segment.
     * Any thread; serialized with appends and flushes.
     *
     * @throws KafkaStorageException if the log is closed or offline, or an I/O failure took it offline
     */
    public void truncateFullyAndStartAt(long offset) {
        writeLock.lock();
        try {
            ensureOpen();
            synchronized (flushLock) {
                try {
                    List<LogSegment> removed = new ArrayList<>(segments.descendingMap().values());
                    for (LogSegment segment : removed) {
                        segments.remove(segment.baseOffset());
                        segment.renameForDeletion();
                    }
                    LogSegment fresh = LogSegment.create(dir, offset, config.indexIntervalBytes(), config.segmentIndexBytes(), clock.millis(), writer);
                    segments.put(offset, fresh);
                    AtomicFileWriter.fsyncDirectory(dir);
                    logStartOffset = offset;
                    logEnd = new LogPosition(offset, offset, 0);
                    highWatermark = logEnd;
                    recoveryPoint = offset;
                    epochCache.truncateFromEnd(Long.MIN_VALUE);
                    producerState.loadLatestSnapshot(-1);
                    firstUnstable = null;
                    for (LogSegment segment : removed) {
                        deletions.schedule("segment " + segment.logFile(), segment::closeAndDelete, config.fileDeleteDelayMs());
                    }
                    LOG.info("Emptied {} to start again at offset {} ({} segments removed)", topicPartition, offset, removed.size());
                } catch (IOException | RuntimeException e) {
                    offline = true;
                    LOG.error("Log {} is offline until restarted: emptying it to start at {} failed: {}", topicPartition, offset, e.toString());
                    throw new KafkaStorageException("Cannot empty " + topicPartition, e);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void truncate(long offset) throws IOException {
        if (highWatermark.offset() > offset) {
            // consumers stop short of what goes before any byte does
            highWatermark = positionOf(offset);
        }
        List<LogSegment> removed = new ArrayList<>(segments.tailMap(offset, false).descendingMap().values());
        for (LogSegment segment : removed) {
            segments.remove(segment.baseOffset());
            segment.renameForDeletion();
        }
        AtomicFileWriter.fsyncDirectory(dir);
        LogSegment last = segments.lastEntry().getValue();
        if (!removed.isEmpty()) {
            last.onBecomeActive(config.segmentIndexBytes());
        }
        long cutAt = last.truncateTo(offset);
        long newEnd = cutAt < 0 ? offset : cutAt;
        last.flush();
        logEnd = new LogPosition(newEnd, last.baseOffset(), last.size());
        if (highWatermark.offset() > newEnd) {
            highWatermark = logEnd;
        }
        recoveryPoint = Math.min(recoveryPoint, newEnd);
        epochCache.truncateFromEnd(newEnd);
        LogLoader.rebuildProducerState(producerState, segments, newEnd, clock.millis());
        producerState.onHighWatermarkUpdated(highWatermark.offset());
        updateFirstUnstable();
        for (LogSegment segment : removed) {
            deletions.schedule("segment " + segment.logFile(), segment::closeAndDelete, config.fileDeleteDelayMs());
        }
        LOG.info("Truncated {} to offset {} ({} later segments removed)", topicPartition, newEnd, removed.size());
    }

    /**
     * {@code flush.messages}: fsyncs up to the end of this append once that many messages are
     * unflushed. Runs after the writer lock is released so other appends proceed during the fsync;
     * the caller still returns only once its records are durable.
     */
    private void maybeFlush(AppendResult result, LogConfig current) {
        long end = result.lastOffset() + 1;
        if (!result.duplicate() && end - recoveryPoint >= current.flushIntervalMessages()) {
            flushUpTo(end);
        }
    }

    /**
     * Checks the batches of producers against producer state by the rules of {@code origin}. Returns
     * the original metadata if a client's batch is a retry of one already written, otherwise empty.
     */
    private Optional<BatchMetadata> validateProducers(List<MutableRecordBatch> batches, AppendOrigin origin,
            VerificationGuard guard, short markerTxnVersion) {
        ProducerAppendValidator validator = producerState.newValidator(origin, guard, transactionVerificationEnabled);
        for (MutableRecordBatch batch : batches) {
            if (!batch.hasProducerId()) {
                continue;
            }
            if (batch.isControlBatch()) {
                TxnMarker marker = TxnMarker.of(batch);
                if (marker != null) {
                    validator.validateMarker(batch.producerId(), batch.producerEpoch(), marker, markerTxnVersion);
                }
                continue;
            }
            Optional<BatchMetadata> duplicate = validator.validateData(batch.producerId(), batch.producerEpoch(),
                    batch.baseSequence(), batch.lastSequence(), batch.isTransactional());
            if (duplicate.isPresent()) {
                return duplicate;
            }
        }
        return Optional.empty();
    }

    /**
     * Writer lock held. Records the producers' batches and markers just written, seen at {@code now};
     * returns whether any was transactional (so transaction state may have changed).
     */
    private boolean applyProducerState(List<MutableRecordBatch> batches, long now) {
        boolean transactional = false;
        for (MutableRecordBatch batch : batches) {
            if (batch.hasProducerId()) {
                producerState.applyBatch(batch, now, abortedTxnIndexer);
                transactional |= batch.isTransactional();
            }
        }
        return transactional;
    }

    /**
     * Writer lock held, batches just appended to the active segment. The data is written already, so a
     * failure here leaves the index behind the log: the log goes offline and recovery rebuilds the
     * index from the batches.
     */
    private void indexAbortedTxn(CompletedTxn completed, long lastStableOffset) {
        LogSegment active = segments.lastEntry().getValue();
        try {
            active.appendAbortedTxn(new AbortedTxn(completed.producerId(), completed.firstOffset(),
                    completed.lastOffset(), lastStableOffset));
        } catch (IOException e) {
            offline = true;
            LOG.error("Log {} is offline until restarted: its transaction index could not be written: {}", topicPartition,
                    e.toString());
            throw new KafkaStorageException("Transaction index of " + topicPartition + " failed; the log is offline", e);
        }
    }

    private LogSegment maybeRoll(int bytes, long maxTimestamp, long lastOffset, long now, LogConfig current)
            throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        if (!active.shouldRoll(bytes, maxTimestamp, lastOffset, now, current.segmentBytes(), current.segmentMs())) {
            return active;
        }
        return roll(now, current);
    }

    /** Writer lock held; the active segment is not empty. */
    private LogSegment roll(long now, LogConfig current) throws IOException {
        long newBase = logEnd.offset();
        segments.lastEntry().getValue().onBecomeInactive();
        producerState.takeSnapshot(newBase);
        LogSegment segment = LogSegment.create(dir, newBase, current.indexIntervalBytes(), current.segmentIndexBytes(), now, writer);
        segments.put(newBase, segment);
        LOG.debug("Rolled new segment {} for {}", segment.logFile().getFileName(), topicPartition);
        return segment;
    }

    /**
     * The whole batches to send for a fetch at {@code fetchOffset}, from the single segment that
     * holds it: starting at the batch containing the offset, at most {@code maxBytes} bytes, all
     * below the high watermark. With {@code minOneMessage} the first batch is returned whole even
     * if larger than {@code maxBytes}. Any thread.
     *
     * @throws OffsetOutOfRangeException if {@code fetchOffset} is below the log start or above the log end offset
     */
    public FetchSlice read(long fetchOffset, int maxBytes, boolean minOneMessage) {
        return read(fetchOffset, maxBytes, minOneMessage, FetchIsolation.HIGH_WATERMARK);
    }

    /**
     * As {@link #read(long, int, boolean)}, bounded by the high watermark (read_uncommitted consumers),
     * the last stable offset (read_committed consumers, see {@link #abortedTransactions}) or the log end
     * offset (replicas fetching) as {@code isolation} says. Any thread.
     *
     * @throws OffsetOutOfRangeException if {@code fetchOffset} is below the log start or above the log end offset
     */
    public FetchSlice read(long fetchOffset, int maxBytes, boolean minOneMessage, FetchIsolation isolation) {
        ensureOnline();
        LogPosition currentEnd = logEnd;
        LogPosition visibleEnd = visibleEnd(isolation, currentEnd);
        long end = currentEnd.offset();
        long start = logStartOffset;
        if (fetchOffset < start || fetchOffset > end) {
            throw new OffsetOutOfRangeException("Offset " + fetchOffset + " is outside [" + start + ", " + end
                    + "] of " + topicPartition);
        }
        if (fetchOffset >= visibleEnd.offset()) {
            return FetchSlice.empty();
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(fetchOffset);
        while (entry != null && entry.getKey() <= visibleEnd.segmentBaseOffset()) {
            LogSegment segment = entry.getValue();
            int maxPosition = segment.baseOffset() == visibleEnd.segmentBaseOffset() ? visibleEnd.position() : segment.size();
            Optional<ByteRange> range = segment.read(fetchOffset, maxBytes, minOneMessage, maxPosition);
            if (range.isPresent()) {
                ByteRange bytes = range.get();
                if (bytes.size() == 0) {
                    return FetchSlice.empty();
                }
                long upperBound = isolation == FetchIsolation.TXN_COMMITTED ? upperBoundOffset(segment, bytes, currentEnd) : -1;
                return new FetchSlice(segment.channel(), bytes.position(), bytes.size(), upperBound);
            }
            entry = segments.higherEntry(entry.getKey());
        }
        return FetchSlice.empty();
    }

    /** Kafka's upper bound of a read_committed slice: the first index entry past it, else the next segment's base or the log end. */
    private long upperBoundOffset(LogSegment segment, ByteRange bytes, LogPosition currentEnd) {
        long indexed = segment.fetchUpperBoundOffset(bytes.position() + bytes.size());
        if (indexed >= 0) {
            return indexed;
        }
        Long next = segments.higherKey(segment.baseOffset());
        return next != null ? next : currentEnd.offset();
    }

    private LogPosition visibleEnd(FetchIsolation isolation, LogPosition currentEnd) {
        LogPosition hw = highWatermark;
        return switch (isolation) {
            case LOG_END -> currentEnd;
            case HIGH_WATERMARK -> hw;
            case TXN_COMMITTED -> {
                LogPosition unstable = firstUnstable;
                yield unstable != null && unstable.offset() < hw.offset() ? unstable : hw;
            }
        };
    }

    /**
     * The transactions aborted that a read_committed fetch from {@code fetchOffset} whose data ends
     * before {@code upperBound} overlaps, oldest marker first, as Kafka's
     * {@code collectAbortedTransactions}: the transaction indexes are searched from the segment
     * holding {@code fetchOffset} on, for entries with {@code lastOffset >= fetchOffset} and
     * {@code firstOffset < upperBound}, until one whose last stable offset reaches {@code upperBound}
     * (no later marker can close a transaction the read overlaps). Any thread.
     */
    public List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBound) {
        Long from = segments.floorKey(fetchOffset);
        if (from == null) {
            from = segments.firstKey();
        }
        // allocated at the first index holding entries: a log without aborts answers without allocating
        List<AbortedTxn> found = null;
        for (LogSegment segment : segments.tailMap(from, true).values()) {
            if (segment.txnIndex().isEmpty()) {
                continue;
            }
            if (found == null) {
                found = new ArrayList<>();
            }
            if (segment.txnIndex().collect(fetchOffset, upperBound, found)) {
                break;
            }
        }
        return found == null ? List.of() : found;
    }

    /** First record with timestamp &gt;= {@code timestamp} below the high watermark. Any thread. */
    public Optional<TimestampAndOffset> findOffsetByTimestamp(long timestamp) {
        ensureOnline();
        long start = logStartOffset;
        long end = highWatermark.offset();
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestampSoFar() >= timestamp) {
                Optional<TimestampAndOffset> found = segment.findOffsetByTimestamp(timestamp, start, end)
                        .map(t -> new TimestampAndOffset(t.timestamp, t.offset, t.leaderEpoch));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The (first) record with the largest timestamp in the log, or empty if none has a timestamp. Any thread. */
    public Optional<TimestampAndOffset> maxTimestampAndOffset() {
        ensureOnline();
        LogSegment best = null;
        for (LogSegment segment : segments.values()) {
            if (best == null || segment.maxTimestampSoFar() > best.maxTimestampSoFar()) {
                best = segment;
            }
        }
        return best == null ? Optional.empty()
                : best.maxTimestampRecord().map(t -> new TimestampAndOffset(t.timestamp, t.offset, t.leaderEpoch));
    }

    /** Kafka OffsetForLeaderEpoch semantics; see {@link LeaderEpochCache#endOffsetFor}. Any thread. */
    public EpochEndOffset endOffsetForEpoch(int requestedEpoch) {
        return epochCache.endOffsetFor(requestedEpoch, logEnd.offset());
    }

    /**
     * Deletes the oldest segments breaching {@code retention.ms} (largest timestamp older than
     * now - retention.ms) or {@code retention.bytes} (the log stays at least that big without
     * them). If every segment is due, a new empty segment is rolled first so the log end offset
     * survives. Files are renamed {@code .deleted} and removed after {@code file.delete.delay.ms}.
     *
     * @return the number of segments deleted
     */
    public int deleteOldSegments() {
        writeLock.lock();
        try {
            if (closed || offline) {
                return 0;
            }
            List<LogSegment> deletable = deletableSegments(config, clock.millis());
            if (deletable.isEmpty()) {
                return 0;
            }
            if (deletable.size() == segments.size()) {
                roll(clock.millis(), config);
            }
            for (LogSegment segment : deletable) {
                segments.remove(segment.baseOffset());
            }
            // a start moved by DeleteRecords may lie inside the first remaining segment
            logStartOffset = Math.max(logStartOffset, segments.firstKey());
            epochCache.truncateFromStart(logStartOffset);
            updateFirstUnstable();
            for (LogSegment segment : deletable) {
                scheduleDeletion(segment);
            }
            LOG.info("Deleted {} segments of {} by retention; log start offset is now {}", deletable.size(),
                    topicPartition, logStartOffset);
            return deletable.size();
        } catch (IOException e) {
            throw new KafkaStorageException("Retention of " + topicPartition + " failed", e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * DeleteRecords: moves the log start offset up to {@code offset}, so records below it are no
     * longer read, listed or fetched; segments wholly below it are deleted by the next retention pass.
     * An offset at or below the current start changes nothing. The caller checkpoints the new start
     * to make it survive a restart.
     *
     * @return the log start offset afterwards
     * @throws OffsetOutOfRangeException if {@code offset} is negative or above the high watermark
     */
    public long advanceLogStartOffset(long offset) {
        writeLock.lock();
        try {
            ensureOpen();
            long highWatermarkOffset = highWatermark.offset();
            if (offset < 0 || offset > highWatermarkOffset) {
                throw new OffsetOutOfRangeException("Cannot increment the log start offset to " + offset + " of partition "
                        + topicPartition + " since it is outside [0, " + highWatermarkOffset + "], the high watermark");
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                epochCache.truncateFromStart(offset);
                updateFirstUnstable();
                LOG.info("Log start offset of {} is now {} (records deleted by request)", topicPartition, offset);
            }
            return logStartOffset;
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot move the log start offset of " + topicPartition, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** The idempotent producers this partition remembers. Any thread. */
    public List<ActiveProducer> activeProducers() {
        writeLock.lock();
        try {
            return producerState.activeProducers();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Forgets idempotent producers that have not appended for {@code producer.id.expiration.ms}
     * by the log's clock, so producer state (and its snapshots) does not grow forever.
     *
     * @return the number of producers forgotten
     */
    public int removeExpiredProducers() {
        writeLock.lock();
        try {
            if (closed || offline) {
                return 0;
            }
            return producerState.removeExpiredProducers(clock.millis(), config.producerIdExpirationMs());
        } finally {
            writeLock.unlock();
        }
    }

    private List<LogSegment> deletableSegments(LogConfig current, long now) throws IOException {
        List<LogSegment> deletable = new ArrayList<>();
        long remainingBytes = sizeInBytes();
        for (LogSegment segment : segments.values()) {
            boolean expired = current.retentionMs() >= 0 && segment.largestTimestamp() < now - current.retentionMs();
            boolean oversize = current.retentionBytes() >= 0 && remainingBytes - segment.size() >= current.retentionBytes();
            Long next = segments.higherKey(segment.baseOffset());
            boolean belowStart = next != null && next <= logStartOffset;
            // as Kafka: only what consumers could read goes (always true while the high watermark is the log end)
            boolean aboveHighWatermark = (next != null ? next : logEnd.offset()) > highWatermark.offset();
            boolean activeAndEmpty = segment.size() == 0 && segment == segments.lastEntry().getValue();
            // a cleaned segment may be empty: it goes like any other once its (file) time or the size is due
            if (activeAndEmpty || aboveHighWatermark || !(expired || oversize || belowStart)) {
                break;
            }
            deletable.add(segment);
            remainingBytes -= segment.size();
        }
        return deletable;
    }

    private void scheduleDeletion(LogSegment segment) throws IOException {
        segment.renameForDeletion();
        deletions.schedule("segment " + segment.logFile(), segment::closeAndDelete, config.fileDeleteDelayMs());
    }

    /** The segments, oldest first; the last one is the active segment. A snapshot; any thread. */
    public List<LogSegment> segmentsSnapshot() {
        return List.copyOf(segments.values());
    }

    /** The last record of each producer the log remembers (see {@link ProducerStateManager#lastRecords()}). Any thread. */
    public Map<Long, LastRecord> lastRecordsOfActiveProducers() {
        writeLock.lock();
        try {
            return producerState.lastRecords();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Swaps {@code cleaned} (complete, flushed, its files named {@code .cleaned}) in for the consecutive
     * non-active segments {@code replaced}, which it starts with. Called by the log cleaner; takes the
     * writer lock for a few renames only. The steps, each safe to crash after (see {@link LogLoader}):
     * <ol>
     *   <li>the cleaned files are renamed {@code .swap}, indexes first: from now on recovery completes the swap;</li>
     *   <li>the segment map points at the cleaned segment (readers holding a replaced one keep reading its open file);</li>
     *   <li>the replaced segments are renamed {@code .deleted} and deleted after {@code file.delete.delay.ms};</li>
     *   <li>the {@code .swap} files get their final names, log file first.</li>
     * </ol>
     *
     * @return false, with the cleaned files deleted, if the log was closed or any of {@code replaced}
     *     is no longer part of it (retention deleted it meanwhile)
     * @throws IOException if a step fails: before the cleaned files are all {@code .swap}, they are deleted and
     *     the log is unchanged; from then on the log is {@linkplain #isOffline() offline} until recovery finishes the swap
     */
    public boolean replaceSegments(List<LogSegment> replaced, LogSegment cleaned) throws IOException {
        writeLock.lock();
        try {
            if (closed || offline || !allStillInLog(replaced) || replaced.get(0).baseOffset() != cleaned.baseOffset()) {
                cleaned.closeAndDelete();
                return false;
            }
            renameCleanedToSwap(cleaned);
            try {
                swapIn(replaced, cleaned);
            } catch (Throwable t) {
                // the swap is on disk but the segment map may be half updated: only recovery can finish it
                offline = true;
                LOG.error("Log {} is offline until restarted: swapping in cleaned segment {} failed: {}", topicPartition,
                        cleaned.baseOffset(), t.toString());
                throw t;
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** Step 1 of {@link #replaceSegments}; if it fails, the cleaned files are deleted and the log is as before. */
    private void renameCleanedToSwap(LogSegment cleaned) throws IOException {
        try {
            swapObserver.reached(SwapStep.CLEANED);
            cleaned.renameIndexFiles(SegmentFiles.CLEANED_SUFFIX, SegmentFiles.SWAP_SUFFIX);
            swapObserver.reached(SwapStep.INDEXES_SWAP);
            cleaned.renameLogFile(SegmentFiles.CLEANED_SUFFIX, SegmentFiles.SWAP_SUFFIX);
            AtomicFileWriter.fsyncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            try {
                cleaned.closeAndDelete();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Steps 2 to 4 of {@link #replaceSegments}, once the cleaned files are all {@code .swap}. */
    private void swapIn(List<LogSegment> replaced, LogSegment cleaned) throws IOException {
        swapObserver.reached(SwapStep.SWAP);
        // put before remove: a reader's floor lookup always finds a segment holding its offset
        segments.put(cleaned.baseOffset(), cleaned);
        for (LogSegment old : replaced.subList(1, replaced.size())) {
            segments.remove(old.baseOffset());
        }
        LogPosition unstable = firstUnstable;
        if (unstable != null) {
            // it may lie in the cleaned segment, whose byte positions differ: find it again
            firstUnstable = positionOf(unstable.offset());
        }
        for (LogSegment old : replaced) {
            old.renameForDeletion();
            swapObserver.reached(SwapStep.OLD_SEGMENT_DELETED);
        }
        cleaned.renameLogFile(SegmentFiles.SWAP_SUFFIX, "");
        swapObserver.reached(SwapStep.LOG_RENAMED);
        cleaned.renameIndexFiles(SegmentFiles.SWAP_SUFFIX, "");
        AtomicFileWriter.fsyncDirectory(dir);
        for (LogSegment old : replaced) {
            deletions.schedule("segment " + old.logFile(), old::closeAndDelete, config.fileDeleteDelayMs());
        }
    }

    private boolean allStillInLog(List<LogSegment> candidates) {
        return holdsAll(candidates) && !candidates.contains(segments.lastEntry().getValue());
    }

    /**
     * Whether every one of {@code candidates} is still a segment of this log: false once retention,
     * DeleteRecords or a swap removed one (whose files may then be closed). Any thread.
     */
    public boolean holdsAll(List<LogSegment> candidates) {
        for (LogSegment segment : candidates) {
            if (segments.get(segment.baseOffset()) != segment) {
                return false;
            }
        }
        return true;
    }

    /** The points of {@link #replaceSegments} a crash test can stop at. */
    enum SwapStep { CLEANED, INDEXES_SWAP, SWAP, OLD_SEGMENT_DELETED, LOG_RENAMED }

    /** Told when {@link #replaceSegments} reaches each step; tests throw from it to simulate a crash there. */
    @FunctionalInterface
    interface SwapObserver {
        void reached(SwapStep step);
    }

    void observeSwaps(SwapObserver observer) {
        this.swapObserver = observer;
    }

    /** Fsyncs everything up to the log end offset and advances the recovery point. Any thread. */
    public void flush() {
        flushUpTo(logEnd.offset());
    }

    /**
     * Periodic flush hook: flushes everything if {@code flush.ms} elapsed since the last flush,
     * otherwise just the segments that were rolled since (so the recovery point follows rolls).
     */
    public void flushIfDue() {
        if (closed || offline) {
            return;
        }
        long activeBase = segments.lastKey();
        if (clock.millis() - lastFlushMs >= config.flushIntervalMs()) {
            flush();
        } else if (recoveryPoint < activeBase) {
            flushUpTo(activeBase);
        }
    }

    private void flushUpTo(long offset) {
        synchronized (flushLock) {
            // a truncation (holding this lock) may have cut the log below what the caller asked for
            offset = Math.min(offset, logEnd.offset());
            long from = recoveryPoint;
            // close() and closeFiles() close files only while holding this lock, so once closed is seen
            // false here no file of this log is closed under us, except a segment deleted by retention
            if (offset <= from || closed) {
                return;
            }
            ensureOnline();
            Long floor = segments.floorKey(from);
            long first = floor == null ? segments.firstKey() : floor;
            try {
                // first > offset when retention deleted every segment below offset meanwhile:
                // nothing at or below offset is left to make durable
                if (first < offset) {
                    for (LogSegment segment : segments.subMap(first, true, offset, false).values()) {
                        if (!flushSegment(segment)) {
                            return;
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // after a failed fsync the kernel may have dropped the dirty pages and marked them clean,
                // so a later fsync would "succeed" without the data: as Kafka, treat it as fatal
                offline = true;
                LOG.error("Log {} is offline until restarted: fsync failed: {}", topicPartition, e.toString());
                throw new KafkaStorageException("Flush of " + topicPartition + " failed; the log is offline", e);
            }
            AtomicFileWriter.fsyncDirectory(dir);
            recoveryPoint = offset;
            lastFlushMs = clock.millis();
        }
    }

    /**
     * Fsyncs one segment. Returns false if it was not flushed because the log was closed or deleted
     * meanwhile (its file is closed but it is still part of the log): the recovery point must then
     * not move past it.
     *
     * @throws IOException if the fsync failed, including on a closed file of a segment of an open log
     */
    private boolean flushSegment(LogSegment segment) throws IOException {
        try {
            segment.flush();
            return true;
        } catch (ClosedChannelException e) {
            if (segments.get(segment.baseOffset()) != segment) {
                // deleted by retention while we were flushing: nothing left to make durable
                return true;
            }
            if (closed) {
                LOG.debug("Log {} was closed during a flush of {}", topicPartition, segment.logFile());
                return false;
            }
            throw e;
        }
    }

    /**
     * Flushes, snapshots producer state and closes all segment files. Idempotent. An offline log
     * only releases its files: it is not closed cleanly (see {@link #isOffline()}).
     */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            // waits for an in-flight flush, which must not find its files closed under it
            synchronized (flushLock) {
                if (!offline) {
                    try {
                        flush();
                    } catch (KafkaStorageException e) {
                        if (!offline) {
                            throw e;
                        }
                        // the fsync failed and took the log offline: close it as such below
                    }
                }
                if (offline) {
                    closeOffline();
                    return;
                }
                producerState.takeSnapshot(logEnd.offset());
                closed = true;
                for (LogSegment segment : segments.values()) {
                    segment.close();
                }
            }
            LOG.debug("Closed log {} at log end offset {}", topicPartition, logEnd.offset());
        } catch (IOException e) {
            throw new KafkaStorageException("Close of " + topicPartition + " failed", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Writer and flush locks held. The tail may be garbage: writes nothing that would vouch for it, leaves it to recovery. */
    private void closeOffline() throws IOException {
        closed = true;
        closeFiles();
    }

    /** Refuses further appends and maintenance; files stay open for in-flight reads until {@link #closeFiles()}. */
    void markDeleted() {
        writeLock.lock();
        try {
            closed = true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Closes segment files without flushing (the log is being deleted, or is offline). Waits for an
     * in-flight flush, so it never counts a file closed under it as flushed.
     */
    void closeFiles() throws IOException {
        synchronized (flushLock) {
            for (LogSegment segment : segments.values()) {
                segment.closeFiles();
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("Log " + topicPartition + " is closed");
        }
        ensureOnline();
    }

    private void ensureOnline() {
        if (offline) {
            throw new KafkaStorageException("Log " + topicPartition + " is offline after a failed write or fsync");
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", " + dir + ")";
    }
}
