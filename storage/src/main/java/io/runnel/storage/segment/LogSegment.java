package io.runnel.storage.segment;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;

import io.runnel.storage.index.OffsetIndex;
import io.runnel.storage.index.TimeIndex;
import io.runnel.storage.index.TimestampOffset;
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
 */
public final class LogSegment implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);

    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private final long createdMs;
    private boolean indexesMissing;
    private int bytesSinceLastIndexEntry;
    private volatile long maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestampSoFar;
    private volatile long firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;

    private LogSegment(long baseOffset, FileRecords log, OffsetIndex offsetIndex, TimeIndex timeIndex,
            int indexIntervalBytes, long createdMs) {
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.offsetOfMaxTimestampSoFar = baseOffset;
    }

    /** Creates an empty segment, replacing any stale files with the same base offset. */
    public static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexSize, long nowMs)
            throws IOException {
        for (SegmentFiles kind : SegmentFiles.values()) {
            Files.deleteIfExists(kind.path(dir, baseOffset));
        }
        return open(dir, baseOffset, indexIntervalBytes, maxIndexSize, nowMs);
    }

    /**
     * Opens the files of an existing segment (indexes are created empty if missing; check
     * {@link #indexesLookValid()} and rebuild with {@link #recover} if needed). Largest timestamp
     * comes from the last time index entry.
     */
    public static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexSize, long nowMs)
            throws IOException {
        Path logFile = SegmentFiles.LOG.path(dir, baseOffset);
        FileRecords records = FileRecords.open(logFile.toFile(), true, Files.exists(logFile), 0, false);
        boolean indexesMissing = !Files.exists(SegmentFiles.OFFSET_INDEX.path(dir, baseOffset))
                || !Files.exists(SegmentFiles.TIME_INDEX.path(dir, baseOffset));
        OffsetIndex offsetIndex = new OffsetIndex(SegmentFiles.OFFSET_INDEX.path(dir, baseOffset), baseOffset, maxIndexSize);
        TimeIndex timeIndex = new TimeIndex(SegmentFiles.TIME_INDEX.path(dir, baseOffset), baseOffset, maxIndexSize);
        LogSegment segment = new LogSegment(baseOffset, records, offsetIndex, timeIndex, indexIntervalBytes, nowMs);
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
     */
    public void append(long lastOffset, long maxTimestamp, long offsetOfMaxTimestamp, MemoryRecords records)
            throws IOException {
        int position = log.sizeInBytes();
        if (position == 0) {
            firstBatchTimestamp = records.batches().iterator().next().maxTimestamp();
        }
        log.append(records);
        trackTimestamp(maxTimestamp, offsetOfMaxTimestamp);
        maybeIndex(lastOffset, position, records.sizeInBytes());
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

    /** Batches from the one containing {@code offset} (possibly a few before it) to the end of the file. */
    public Iterable<FileChannelRecordBatch> batchesFrom(long offset) {
        return log.batchesFrom(offsetIndex.lookup(offset).position());
    }

    /**
     * Writer only, on open after a clean shutdown: finds the next offset by scanning the batches
     * after the last index entry, and drops any bytes after the last whole batch.
     */
    public long loadTail() throws IOException {
        int position = offsetIndex.lastEntry().position();
        long nextOffset = baseOffset;
        int end = position;
        for (FileChannelRecordBatch batch : log.batchesFrom(position)) {
            nextOffset = batch.nextOffset();
            end = batch.position() + batch.sizeInBytes();
            trackTimestamp(batch.maxTimestamp(), batch.lastOffset());
        }
        truncateIfLonger(end);
        return nextOffset;
    }

    /** True if both indexes existed when opened, are internally ordered and point inside the log file. */
    public boolean indexesLookValid() {
        return !indexesMissing && offsetIndex.isConsistentWith(size()) && timeIndex.isConsistent();
    }

    /**
     * Writer only. Validates every batch (magic 2, CRC, base offset not below the segment's base
     * and above the previous batch's last offset) and rebuilds both indexes from them. The file is truncated at
     * the first invalid or torn batch. Each valid batch is passed to {@code visitor}.
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
        log.flush();
        offsetIndex.flush();
        timeIndex.flush();
    }

    /** Renames all files with the {@code .deleted} suffix; open channels keep working. */
    public void renameForDeletion() throws IOException {
        log.renameTo(deletedName(logFile()).toFile());
        offsetIndex.renameTo(deletedName(offsetIndex.file()));
        timeIndex.renameTo(deletedName(timeIndex.file()));
    }

    /** Closes the file channel and deletes all files of this segment. */
    public void closeAndDelete() throws IOException {
        closeChannel();
        Files.deleteIfExists(logFile());
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
    }

    /** Closes the file channel without flushing or trimming anything: the files are about to be deleted. */
    public void closeChannel() throws IOException {
        log.channel().close();
    }

    /** Writer only: trims the indexes and closes the log file. */
    @Override
    public void close() throws IOException {
        onBecomeInactive();
        log.close();
    }

    private long firstBatchTimestamp() {
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

    private static Path deletedName(Path file) {
        return file.resolveSibling(file.getFileName() + SegmentFiles.DELETED_SUFFIX);
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile() + ", size=" + size() + ")";
    }
}
