package io.runnel.storage.segment;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;

import io.runnel.storage.index.OffsetIndex;
import io.runnel.storage.index.TimeIndex;
import io.runnel.storage.index.TimestampOffset;
import io.runnel.storage.txn.AbortedTxn;
import io.runnel.storage.txn.TransactionIndex;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition log: the {@code .log} file of record batches starting at
 * {@code baseOffset}, with its sparse {@code .index} and {@code .timeindex}.
 *
 * <p>Threading: one writer (appends, recovery, roll, close, all serialized by the owning log) and
 * any number of concurrent readers ({@link #read}, lookups). Readers never see a batch before
 * the log publishes its end offset, because they are bounded by positions the log hands out.
 * A failed append is undone before it is reported, so the file never holds bytes past its last
 * whole batch that later appends would follow. Closing unmaps the indexes; a reader racing with
 * that sees empty indexes (see {@link io.runnel.storage.index.MappedIndex}), never freed memory.
 */
public final class LogSegment implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);

    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private final long createdMs;
    private final SegmentWriter writer;
    private boolean indexesMissing;
    private int bytesSinceLastIndexEntry;
    private volatile long maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestampSoFar;
    private volatile long firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;

    private LogSegment(long baseOffset, FileRecords log, OffsetIndex offsetIndex, TimeIndex timeIndex,
            TransactionIndex txnIndex, int indexIntervalBytes, long createdMs, SegmentWriter writer) {
        this.baseOffset = baseOffset;
        this.writer = writer;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.txnIndex = txnIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.offsetOfMaxTimestampSoFar = baseOffset;
    }

    /** Creates an empty segment, replacing any stale files with the same base offset. */
    public static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexSize, long nowMs)
            throws IOException {
        return create(dir, baseOffset, indexIntervalBytes, maxIndexSize, nowMs, SegmentWriter.DIRECT);
    }

    /** As {@link #create(Path, long, int, int, long)}, writing batches through {@code writer}. */
    public static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexSize, long nowMs,
            SegmentWriter writer) throws IOException {
        return create(dir, baseOffset, indexIntervalBytes, maxIndexSize, nowMs, writer, "");
    }

    /**
     * An empty segment whose files carry {@link SegmentFiles#CLEANED_SUFFIX}, for the log cleaner to
     * fill. Load ignores (deletes) such files; the log renames them when it swaps the segment in.
     */
    public static LogSegment createCleaned(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexSize, long nowMs)
            throws IOException {
        return create(dir, baseOffset, indexIntervalBytes, maxIndexSize, nowMs, SegmentWriter.DIRECT, SegmentFiles.CLEANED_SUFFIX);
    }

    private static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexSize, long nowMs,
            SegmentWriter writer, String extraSuffix) throws IOException {
        for (SegmentFiles kind : SegmentFiles.values()) {
            Files.deleteIfExists(kind.path(dir, baseOffset, extraSuffix));
        }
        return open(dir, baseOffset, indexIntervalBytes, maxIndexSize, nowMs, writer, extraSuffix);
    }

    /**
     * Opens the files of an existing segment (indexes are created empty if missing; check
     * {@link #indexesLookValid()} and rebuild with {@link #recover} if needed). Largest timestamp
     * comes from the last time index entry.
     */
    public static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexSize, long nowMs)
            throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, maxIndexSize, nowMs, SegmentWriter.DIRECT);
    }

    /** As {@link #open(Path, long, int, int, long)}, writing batches through {@code writer}. */
    public static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexSize, long nowMs,
            SegmentWriter writer) throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, maxIndexSize, nowMs, writer, "");
    }

    private static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexSize, long nowMs,
            SegmentWriter writer, String extraSuffix) throws IOException {
        Path logFile = SegmentFiles.LOG.path(dir, baseOffset, extraSuffix);
        Path offsetIndexFile = SegmentFiles.OFFSET_INDEX.path(dir, baseOffset, extraSuffix);
        Path timeIndexFile = SegmentFiles.TIME_INDEX.path(dir, baseOffset, extraSuffix);
        FileRecords records = FileRecords.open(logFile.toFile(), true, Files.exists(logFile), 0, false);
        boolean indexesMissing = !Files.exists(offsetIndexFile) || !Files.exists(timeIndexFile);
        OffsetIndex offsetIndex = new OffsetIndex(offsetIndexFile, baseOffset, maxIndexSize);
        TimeIndex timeIndex = new TimeIndex(timeIndexFile, baseOffset, maxIndexSize);
        TransactionIndex txnIndex = new TransactionIndex(baseOffset, SegmentFiles.TXN_INDEX.path(dir, baseOffset, extraSuffix));
        LogSegment segment = new LogSegment(baseOffset, records, offsetIndex, timeIndex, txnIndex, indexIntervalBytes, nowMs,
                writer);
        segment.indexesMissing = indexesMissing && records.sizeInBytes() > 0;
        TimestampOffset last = timeIndex.lastEntry();
        segment.maxTimestampSoFar = last.timestamp();
        segment.offsetOfMaxTimestampSoFar = last.offset();
        return segment;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public int size() {
        return log.sizeInBytes();
    }

    public FileChannel channel() {
        return log.channel();
    }

    public Path logFile() {
        return log.file().toPath();
    }

    /** Largest batch max-timestamp in this segment, or -1 if no batch carries one. */
    public long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    /** The timestamp retention compares against: the largest timestamp, else the file's mtime. */
    public long largestTimestamp() throws IOException {
        long max = maxTimestampSoFar;
        return max >= 0 ? max : Files.getLastModifiedTime(logFile()).toMillis();
    }

    /**
     * Writer only. Appends batches whose offsets were already assigned; adds an index entry
     * (last offset of this append, position where it starts) once more than
     * {@code index.interval.bytes} were appended since the previous entry.
     *
     * <p>All or nothing: if the write fails (a full disk, say), or anything fails after it (indexing,
     * e.g. an {@link InternalError} from a fault on an index page), the file is cut back to its size
     * before the call and the index entries and timestamps are restored, so the segment is as if the
     * append never happened and may be appended to again. The failure is then rethrown as is.
     *
     * @throws UndoFailedException if the append failed and cutting the file back failed too; the
     *                             segment must not be used again before recovery
     * @throws IOException         if the write failed and was undone
     */
    public void append(long lastOffset, long maxTimestamp, long offsetOfMaxTimestamp, MemoryRecords records)
            throws IOException {
        int position = log.sizeInBytes();
        try {
            writer.append(log, records);
        } catch (IOException e) {
            undoAppend(position, e);
            throw e;
        }
        int offsetEntries = offsetIndex.entries();
        int timeEntries = timeIndex.entries();
        int bytesSinceIndexEntry = bytesSinceLastIndexEntry;
        long maxTimestampBefore = maxTimestampSoFar;
        long offsetOfMaxTimestampBefore = offsetOfMaxTimestampSoFar;
        long firstBatchTimestampBefore = firstBatchTimestamp;
        try {
            if (position == 0) {
                firstBatchTimestamp = records.batches().iterator().next().maxTimestamp();
            }
            trackTimestamp(maxTimestamp, offsetOfMaxTimestamp);
            maybeIndex(lastOffset, position, records.sizeInBytes());
        } catch (Throwable t) {
            // the bytes are in the file but the caller will not count them: take them out again
            offsetIndex.truncateToEntries(offsetEntries);
            timeIndex.truncateToEntries(timeEntries);
            bytesSinceLastIndexEntry = bytesSinceIndexEntry;
            maxTimestampSoFar = maxTimestampBefore;
            offsetOfMaxTimestampSoFar = offsetOfMaxTimestampBefore;
            firstBatchTimestamp = firstBatchTimestampBefore;
            undoAppend(position, t);
            throw t;
        }
    }

    /**
     * Writer only, for a segment the cleaner is filling before it is part of any log: appends batches
     * whose offsets and timestamps are final, indexing them batch by batch as {@link #append} does
     * request by request. Not undone on failure: the caller deletes the whole segment instead.
     */
    public void appendCleaned(MemoryRecords records) throws IOException {
        int position = log.sizeInBytes();
        writer.append(log, records);
        for (RecordBatch batch : records.batches()) {
            if (position == 0) {
                firstBatchTimestamp = batch.maxTimestamp();
            }
            trackTimestamp(batch.maxTimestamp(), batch.lastOffset());
            maybeIndex(batch.lastOffset(), position, batch.sizeInBytes());
            position += batch.sizeInBytes();
        }
    }

    /**
     * A failed write may have put a prefix of its bytes in the file and moved the channel's
     * position, but FileRecords only counts bytes after a complete write. Left alone, the next
     * append would land after that garbage, index entries would point before it, and loading the
     * segment would stop at it. Truncating to the size before the write restores file, position
     * and counter together (FileRecords also shrinks its count when indexing failed after a
     * complete write).
     */
    private void undoAppend(int sizeBefore, Throwable failure) throws UndoFailedException {
        try {
            log.truncateTo(sizeBefore);
            log.channel().position(sizeBefore);
            LOG.warn("Append to {} failed ({}); cut the file back to {} bytes", logFile(), failure.toString(),
                    sizeBefore);
        } catch (IOException undoFailure) {
            throw new UndoFailedException("Append to " + logFile() + " failed and the file could not be cut back to "
                    + sizeBefore + " bytes (" + undoFailure + ")", failure, undoFailure);
        }
    }

    /**
     * Whether an append of {@code bytes} ending at {@code lastOffset} must go to a new segment:
     * never for an empty segment; otherwise when it would not fit, the segment is older than
     * {@code segmentMs} (by its first batch's timestamp against the incoming one, else by creation
     * time), an index is full, or the offset would not fit the 4-byte relative index field.
     */
    public boolean shouldRoll(int bytes, long incomingMaxTimestamp, long lastOffset, long nowMs,
            long segmentBytes, long segmentMs) {
        int size = size();
        if (size == 0) {
            return false;
        }
        long first = firstBatchTimestamp();
        long age = first >= 0 && incomingMaxTimestamp >= 0 ? incomingMaxTimestamp - first : nowMs - createdMs;
        return size > segmentBytes - bytes
                || age > segmentMs
                || offsetIndex.isFull()
                || timeIndex.isFull()
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /**
     * The bytes to send for a fetch at {@code fetchOffset}: from the start of the batch holding it,
     * at most {@code maxBytes}, never past {@code maxPosition} (the high watermark's position when it
     * lies in this segment). Like Kafka, only the start is found by scanning (from the index entry, a
     * few batch headers at most); the end is a byte count, so the last batch may be cut short, and
     * clients drop such a partial batch and fetch it again. A first batch larger than
     * {@code maxBytes} is sent whole with {@code minOneMessage}, and not at all without it. Empty if
     * no batch at or after {@code fetchOffset} lies below {@code maxPosition}. Any thread.
     */
    public Optional<ByteRange> read(long fetchOffset, int maxBytes, boolean minOneMessage, int maxPosition) {
        for (FileChannelRecordBatch batch : log.batchesFrom(offsetIndex.lookup(fetchOffset).position())) {
            int start = batch.position();
            if (start + batch.sizeInBytes() > maxPosition) {
                return Optional.empty();
            }
            if (batch.lastOffset() >= fetchOffset) {
                if (batch.sizeInBytes() > maxBytes) {
                    return Optional.of(new ByteRange(start, minOneMessage ? batch.sizeInBytes() : 0));
                }
                return Optional.of(new ByteRange(start, Math.min(maxBytes, maxPosition - start)));
            }
        }
        return Optional.empty();
    }

    /**
     * An offset above every offset of the batches that end at or before file position
     * {@code endPosition}, from the offset index; -1 if no index entry lies at or past it.
     */
    public long fetchUpperBoundOffset(int endPosition) {
        return offsetIndex.firstOffsetAtOrAfter(endPosition);
    }

    /** Batches from the one containing {@code offset} (possibly a few before it) to the end of the file. */
    public Iterable<FileChannelRecordBatch> batchesFrom(long offset) {
        return log.batchesFrom(offsetIndex.lookup(offset).position());
    }

    /**
     * Writer only, on open after a clean shutdown: finds the next offset by scanning the batches
     * after the last index entry, checking each as {@link #recover} does. A clean shutdown leaves
     * only whole, valid batches, so anything else means the file was damaged (or written to after
     * a failed write) and the caller must {@link #recover} the segment instead.
     *
     * @throws CorruptRecordException if a batch after the last index entry is invalid, unreadable
     *                                or cut short
     */
    public long loadTail() {
        int position = offsetIndex.lastEntry().position();
        long nextOffset = baseOffset;
        int end = position;
        for (FileChannelRecordBatch batch : log.batchesFrom(position)) {
            String problem = problemWith(batch, nextOffset);
            if (problem != null) {
                throw new CorruptRecordException("Invalid batch at position " + batch.position() + " of "
                        + logFile() + ": " + problem);
            }
            nextOffset = batch.nextOffset();
            end = batch.position() + batch.sizeInBytes();
            trackTimestamp(batch.maxTimestamp(), batch.lastOffset());
        }
        if (end != log.sizeInBytes()) {
            throw new CorruptRecordException(logFile() + " has " + (log.sizeInBytes() - end)
                    + " bytes after its last whole batch at position " + end);
        }
        return nextOffset;
    }

    /**
     * Writer only: cuts the segment back so that it ends before the first batch holding an offset at
     * or after {@code offset} (a whole batch goes if {@code offset} lies inside it), dropping the
     * index entries for what was cut and recomputing the largest timestamp. The file's new size is
     * made durable by the next {@link #flush}.
     *
     * @return the offset after the last batch left (at most {@code offset}), or -1 if nothing was cut
     */
    public long truncateTo(long offset) throws IOException {
        FileChannelRecordBatch first = null;
        for (FileChannelRecordBatch batch : batchesFrom(offset)) {
            if (batch.lastOffset() >= offset) {
                first = batch;
                break;
            }
        }
        if (first == null) {
            return -1;
        }
        long end = Math.min(offset, first.baseOffset());
        int cut = first.position();
        offsetIndex.truncateTo(end);
        timeIndex.truncateTo(end);
        txnIndex.truncateTo(end);
        log.truncateTo(cut);
        log.channel().position(cut);
        TimestampOffset lastTime = timeIndex.lastEntry();
        maxTimestampSoFar = lastTime.timestamp();
        offsetOfMaxTimestampSoFar = lastTime.offset();
        for (FileChannelRecordBatch batch : log.batchesFrom(offsetIndex.lastEntry().position())) {
            trackTimestamp(batch.maxTimestamp(), batch.lastOffset());
        }
        if (cut == 0) {
            firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
        }
        bytesSinceLastIndexEntry = 0;
        LOG.info("Truncated {} to {} bytes, before offset {}", logFile(), cut, end);
        return end;
    }

    /**
     * True if both indexes existed when opened, are internally ordered and point inside the log file,
     * and no transaction index entry lies below the segment's base.
     */
    public boolean indexesLookValid() {
        return !indexesMissing && offsetIndex.isConsistentWith(size()) && timeIndex.isConsistent() && txnIndex.isConsistent();
    }

    /** The segment's transaction index (aborted transactions whose marker is in this segment). */
    public TransactionIndex txnIndex() {
        return txnIndex;
    }

    /**
     * Writer only. Records a transaction aborted by a marker in this segment; the {@code .txnindex}
     * file is created on the first entry.
     */
    public void appendAbortedTxn(AbortedTxn txn) throws IOException {
        txnIndex.append(txn);
    }

    /**
     * Writer only. Validates every batch (magic 2, CRC, base offset not below the segment's base
     * and above the previous batch's last offset) and rebuilds both indexes from them. The file is truncated at
     * the first invalid or torn batch. Each valid batch is passed to {@code visitor}. Transaction index
     * entries past the last valid batch are dropped; the caller resets the index with
     * {@code txnIndex().reset()} beforehand if it rebuilds it from the batches.
     *
     * @return the number of bytes truncated (0 if the whole file was valid)
     */
    public int recover(int maxIndexSize, Consumer<RecordBatch> visitor) throws IOException {
        offsetIndex.reset(maxIndexSize);
        timeIndex.reset(maxIndexSize);
        indexesMissing = false;
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
        bytesSinceLastIndexEntry = 0;
        int validBytes = 0;
        long expectedMinBase = baseOffset;
        Iterator<FileChannelRecordBatch> batches = log.batchesFrom(0).iterator();
        try {
            while (batches.hasNext()) {
                FileChannelRecordBatch batch = batches.next();
                String problem = problemWith(batch, expectedMinBase);
                if (problem != null) {
                    LOG.warn("Invalid batch at position {} of {}: {}", batch.position(), logFile(), problem);
                    break;
                }
                if (validBytes == 0) {
                    firstBatchTimestamp = batch.maxTimestamp();
                }
                trackTimestamp(batch.maxTimestamp(), batch.lastOffset());
                maybeIndex(batch.lastOffset(), batch.position(), batch.sizeInBytes());
                validBytes = batch.position() + batch.sizeInBytes();
                expectedMinBase = batch.lastOffset() + 1;
                visitor.accept(batch);
            }
        } catch (CorruptRecordException e) {
            LOG.warn("Corrupt batch header after position {} of {}: {}", validBytes, logFile(), e.getMessage());
        }
        timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
        txnIndex.truncateTo(expectedMinBase);
        return truncateIfLonger(validBytes);
    }

    /** Writer only: the segment will receive no more appends; records its final max timestamp and trims the indexes. */
    public void onBecomeInactive() throws IOException {
        timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Writer only: the segment becomes the active one again after a restart; regrows its indexes. */
    public void onBecomeActive(int maxIndexSize) throws IOException {
        offsetIndex.resize(maxIndexSize);
        timeIndex.resize(maxIndexSize);
    }

    /**
     * First record with timestamp &gt;= {@code target} and offset in [{@code startOffset}, {@code endOffset}),
     * located via the time and offset indexes, then by decoding the records of candidate batches.
     */
    public Optional<TimestampAndOffset> findOffsetByTimestamp(long target, long startOffset, long endOffset) {
        long from = Math.max(timeIndex.lookup(target).offset(), startOffset);
        for (FileChannelRecordBatch batch : batchesFrom(from)) {
            if (batch.baseOffset() >= endOffset) {
                break;
            }
            if (batch.maxTimestamp() < target || batch.lastOffset() < startOffset) {
                continue;
            }
            for (Record record : batch) {
                if (record.timestamp() >= target && record.offset() >= startOffset && record.offset() < endOffset) {
                    return Optional.of(new TimestampAndOffset(record.timestamp(), record.offset(), epochOf(batch)));
                }
            }
        }
        return Optional.empty();
    }

    /** The first record carrying this segment's largest timestamp, or empty if none has a timestamp. */
    public Optional<TimestampAndOffset> maxTimestampRecord() {
        long target = offsetOfMaxTimestampSoFar;
        if (maxTimestampSoFar < 0) {
            return Optional.empty();
        }
        for (FileChannelRecordBatch batch : batchesFrom(target)) {
            if (batch.lastOffset() < target) {
                continue;
            }
            TimestampAndOffset best = null;
            for (Record record : batch) {
                if (best == null || record.timestamp() > best.timestamp) {
                    best = new TimestampAndOffset(record.timestamp(), record.offset(), epochOf(batch));
                }
            }
            return Optional.ofNullable(best);
        }
        return Optional.empty();
    }

    /** Makes appended bytes and index entries durable. */
    public void flush() throws IOException {
        writer.flush(log);
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    /** Renames all files with the {@code .deleted} suffix; open channels keep working. */
    public void renameForDeletion() throws IOException {
        renameLogFile("", SegmentFiles.DELETED_SUFFIX);
        renameIndexFiles("", SegmentFiles.DELETED_SUFFIX);
    }

    /**
     * Writer only: renames the {@code .log} file from suffix {@code from} to {@code to} (either may be
     * "", e.g. {@code .cleaned} to {@code .swap}); the open channel keeps working.
     */
    public void renameLogFile(String from, String to) throws IOException {
        log.renameTo(renamed(logFile(), from, to).toFile());
    }

    /** Writer only: renames the index files (the transaction index only if it exists) from suffix {@code from} to {@code to}; see {@link #renameLogFile}. */
    public void renameIndexFiles(String from, String to) throws IOException {
        offsetIndex.renameTo(renamed(offsetIndex.file(), from, to));
        timeIndex.renameTo(renamed(timeIndex.file(), from, to));
        txnIndex.renameTo(renamed(txnIndex.file(), from, to));
    }

    /**
     * Reads file bytes from {@code position} into {@code buffer} (as much as fits or is left) and flips
     * it for reading. Any thread; the bytes may end with a partial batch.
     */
    public void readInto(ByteBuffer buffer, int position) throws IOException {
        log.readInto(buffer, position);
    }

    /**
     * The offset after the last batch of this segment, found by scanning from the last index entry;
     * the base offset if the segment is empty. Meant for segments that receive no more appends.
     */
    public long readNextOffset() {
        long next = baseOffset;
        for (FileChannelRecordBatch batch : log.batchesFrom(offsetIndex.lastEntry().position())) {
            next = batch.nextOffset();
        }
        return next;
    }

    /** Bytes the entries of the offset index and the time index take. */
    public long indexBytes() {
        return (long) offsetIndex.entries() * OffsetIndex.ENTRY_SIZE + (long) timeIndex.entries() * TimeIndex.ENTRY_SIZE;
    }

    /** The {@code .log} file's modification time. */
    public long lastModified() throws IOException {
        return Files.getLastModifiedTime(logFile()).toMillis();
    }

    /** Sets the {@code .log} file's modification time, which retention falls back on for a segment without timestamps. */
    public void setLastModified(long millis) throws IOException {
        Files.setLastModifiedTime(logFile(), FileTime.fromMillis(millis));
    }

    /** Closes all files (unmapping the indexes) and deletes them. */
    public void closeAndDelete() throws IOException {
        closeFiles();
        Files.deleteIfExists(logFile());
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        txnIndex.deleteIfExists();
    }

    /**
     * Closes the file channel and unmaps the indexes without flushing or trimming anything: the
     * files are about to be deleted, or must be left as they are for recovery.
     */
    public void closeFiles() throws IOException {
        offsetIndex.close();
        timeIndex.close();
        txnIndex.close();
        log.channel().close();
    }

    /** Writer only: trims the indexes, closes the log file and unmaps the indexes. */
    @Override
    public void close() throws IOException {
        onBecomeInactive();
        offsetIndex.close();
        timeIndex.close();
        txnIndex.close();
        log.close();
    }

    /** The max timestamp of the first batch, or -1 for an empty segment or one without timestamps. Any thread. */
    public long firstBatchTimestamp() {
        if (firstBatchTimestamp == RecordBatch.NO_TIMESTAMP && size() > 0) {
            Iterator<FileChannelRecordBatch> batches = log.batches().iterator();
            if (batches.hasNext()) {
                firstBatchTimestamp = batches.next().maxTimestamp();
            }
        }
        return firstBatchTimestamp;
    }

    private void trackTimestamp(long maxTimestamp, long offset) {
        if (maxTimestamp > maxTimestampSoFar) {
            maxTimestampSoFar = maxTimestamp;
            offsetOfMaxTimestampSoFar = offset;
        }
    }

    private void maybeIndex(long lastOffset, int position, int bytes) {
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull()) {
            offsetIndex.append(lastOffset, position);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += bytes;
    }

    private int truncateIfLonger(int validBytes) throws IOException {
        int truncated = log.sizeInBytes() - validBytes;
        if (truncated > 0) {
            LOG.warn("Truncating {} from {} to {} bytes", logFile(), log.sizeInBytes(), validBytes);
            log.truncateTo(validBytes);
        }
        return Math.max(truncated, 0);
    }

    private static String problemWith(FileChannelRecordBatch batch, long expectedMinBase) {
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            return "unsupported magic " + batch.magic();
        }
        if (batch.baseOffset() < expectedMinBase) {
            return "base offset " + batch.baseOffset() + " below expected " + expectedMinBase;
        }
        return batch.isValid() ? null : "CRC mismatch";
    }

    private static Optional<Integer> epochOf(RecordBatch batch) {
        int epoch = batch.partitionLeaderEpoch();
        return epoch == RecordBatch.NO_PARTITION_LEADER_EPOCH ? Optional.empty() : Optional.of(epoch);
    }

    private static Path renamed(Path file, String from, String to) {
        String name = file.getFileName().toString();
        if (!name.endsWith(from)) {
            throw new IllegalStateException(file + " does not end with " + from);
        }
        return file.resolveSibling(name.substring(0, name.length() - from.length()) + to);
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile() + ", size=" + size() + ")";
    }
}
