package io.runnel.storage.cleaner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.producer.LastRecord;
import io.runnel.storage.segment.LogSegment;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans one log, as Kafka's {@code Cleaner}: maps each key of the dirty part to its latest offset,
 * then rewrites the log from its start up to where the map reached, group of segments by group
 * (small segments are merged, up to {@code segment.bytes} and the index size), each group into one
 * {@code .cleaned} segment that {@link PartitionLog#replaceSegments} swaps in. Batches are filtered
 * by kafka-clients' {@link MemoryRecords#filterTo}: kept batches keep their offsets (a batch that
 * lost records is rebuilt with the same base offset), so offsets never change. Transactions are
 * followed by {@link CleanedTransactions}: aborted records are neither mapped nor kept, markers go
 * after their delete horizon once nothing of their transaction is left, and each cleaned segment gets
 * the transaction index of the aborts it keeps. Only segments that receive no more appends and lie
 * below the last stable offset are read, and the log is locked only for each swap.
 *
 * <p>Not thread-safe: each cleaner thread owns one (with its offset map and I/O buffers).
 */
final class Cleaner {
    private static final Logger LOG = LoggerFactory.getLogger(Cleaner.class);

    private final OffsetMap map;
    private final double loadFactor;
    private final int ioBufferSize;
    private final BooleanSupplier stopRequested;
    private final BufferSupplier decompression = BufferSupplier.create();
    private ByteBuffer readBuffer;
    private ByteBuffer writeBuffer;

    Cleaner(OffsetMap map, double loadFactor, int ioBufferSize, BooleanSupplier stopRequested) {
        this.map = map;
        this.loadFactor = loadFactor;
        this.ioBufferSize = ioBufferSize;
        this.stopRequested = stopRequested;
        this.readBuffer = ByteBuffer.allocate(ioBufferSize);
        this.writeBuffer = ByteBuffer.allocate(ioBufferSize);
    }

    /**
     * Cleans {@code cleanable.log()} at time {@code now}.
     *
     * @return the first offset not cleaned: where the next cleaning's dirty part starts
     * @throws CleaningAbortedException if stopped, or if the log changed so a swap was refused
     */
    long clean(LogToClean cleanable, long now) throws IOException {
        PartitionLog log = cleanable.log();
        List<LogSegment> segments = log.segmentsSnapshot();
        List<LogSegment> inactive = segments.subList(0, segments.size() - 1);
        try {
            buildOffsetMap(log, inactive, cleanable.firstDirtyOffset(), cleanable.firstUncleanableOffset());
        } catch (IOException | RuntimeException e) {
            abortIfRemoved(log, inactive, e);
            throw e;
        }
        long endOffset = map.latestOffset() + 1;
        List<LogSegment> toClean = inactive.stream().filter(segment -> segment.baseOffset() < endOffset).toList();
        Map<Long, LastRecord> producers = log.lastRecordsOfActiveProducers();
        // carried from group to group: a transaction may start in one and end in a later one
        CleanedTransactions transactions = new CleanedTransactions();
        long keyless = 0;
        for (List<LogSegment> group : groupBySize(toClean, log.config(), cleanable.firstUncleanableOffset())) {
            keyless += cleanGroup(log, group, producers, transactions, now);
        }
        if (keyless > 0) {
            LOG.warn("Cleaning {} dropped {} records without a key", log.topicPartition(), keyless);
        }
        return endOffset;
    }

    /**
     * Maps the keys of the segments overlapping [start, end) to their latest offsets, until the map is
     * full. The keys of aborted transactions are left out: an aborted record must never shadow an older
     * committed value of its key. The range ends at or below the last stable offset, so every
     * transaction in it is decided.
     */
    private void buildOffsetMap(PartitionLog log, List<LogSegment> inactive, long start, long end) throws IOException {
        map.clear();
        int maxKeys = (int) (map.slots() * loadFactor);
        List<LogSegment> dirty = start == end ? List.of()
                : CleanerManager.from(inactive, start).stream().filter(s -> s.baseOffset() < end).toList();
        CleanedTransactions transactions = new CleanedTransactions();
        if (!dirty.isEmpty()) {
            transactions.addAborted(log.abortedTransactions(start, end));
        }
        for (int i = 0; i < dirty.size(); i++) {
            if (!mapSegment(dirty.get(i), start, maxKeys, transactions)) {
                return;
            }
            // offsets with no batch (removed by an earlier cleaning) count as read too
            map.updateLatestOffset((i + 1 < dirty.size() ? dirty.get(i + 1).baseOffset() : end) - 1);
        }
    }

    /** Adds the keys of one segment; false if the map filled up before its end. */
    private boolean mapSegment(LogSegment segment, long start, int maxKeys, CleanedTransactions transactions) throws IOException {
        for (FileChannelRecordBatch batch : segment.batchesFrom(start)) {
            checkNotStopped();
            if (batch.isControlBatch()) {
                transactions.onControlBatch(batch);
            } else if (!transactions.onDataBatch(batch) && !mapBatch(batch, start, maxKeys)) {
                return false;
            }
            if (batch.lastOffset() >= start) {
                map.updateLatestOffset(batch.lastOffset());
            }
        }
        return true;
    }

    /** Adds the keys of one data batch from {@code start} on; false if the map filled up first. */
    private boolean mapBatch(FileChannelRecordBatch batch, long start, int maxKeys) {
        try (CloseableIterator<Record> records = batch.streamingIterator(decompression)) {
            while (records.hasNext()) {
                Record record = records.next();
                if (record.hasKey() && record.offset() >= start) {
                    if (map.size() >= maxKeys) {
                        return false;
                    }
                    map.put(record.key(), record.offset());
                }
            }
        }
        return true;
    }

    /**
     * Kafka's grouping: consecutive segments whose total log bytes fit {@code segment.bytes}, whose index
     * entries fit one index, and whose offsets fit the 4-byte relative offsets of one segment.
     */
    static List<List<LogSegment>> groupBySize(List<LogSegment> segments, LogConfig config, long firstUncleanableOffset) {
        List<List<LogSegment>> groups = new ArrayList<>();
        int i = 0;
        while (i < segments.size()) {
            List<LogSegment> group = new ArrayList<>();
            LogSegment first = segments.get(i);
            group.add(first);
            long logBytes = first.size();
            long indexBytes = first.indexBytes();
            i++;
            while (i < segments.size()) {
                LogSegment next = segments.get(i);
                long nextLastOffset = (i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : firstUncleanableOffset) - 1;
                boolean fits = logBytes + next.size() <= config.segmentBytes()
                        && indexBytes + next.indexBytes() <= config.segmentIndexBytes()
                        && (next.size() == 0 || nextLastOffset - first.baseOffset() <= Integer.MAX_VALUE);
                if (!fits) {
                    break;
                }
                group.add(next);
                logBytes += next.size();
                indexBytes += next.indexBytes();
                i++;
            }
            groups.add(group);
        }
        return groups;
    }

    /** Cleans one group into a new segment and swaps it in; returns the keyless records dropped. */
    private long cleanGroup(PartitionLog log, List<LogSegment> group, Map<Long, LastRecord> producers,
            CleanedTransactions transactions, long now) throws IOException {
        LogConfig config = log.config();
        LogSegment cleaned = LogSegment.createCleaned(log.dir(), group.get(0).baseOffset(), config.indexIntervalBytes(),
                config.segmentIndexBytes(), now);
        CleanerFilter filter;
        try {
            transactions.indexRetainedAbortsIn(cleaned.txnIndex());
            filter = new CleanerFilter(now, config.compaction().deleteRetentionMs(), map, producers, transactions,
                    groupNextOffset(group));
            for (int i = 0; i < group.size(); i++) {
                LogSegment segment = group.get(i);
                // from the whole segment: the cleaned segment's transaction index is rebuilt from these
                long upperBound = i + 1 < group.size() ? group.get(i + 1).baseOffset() : segment.readNextOffset();
                transactions.addAborted(log.abortedTransactions(segment.baseOffset(), upperBound));
                cleanInto(segment, cleaned, filter, config.maxMessageBytes());
            }
            cleaned.onBecomeInactive();
            cleaned.flush();
            // retention by time falls back on the file time for a segment without timestamps: keep the original's
            cleaned.setLastModified(group.get(group.size() - 1).lastModified());
        } catch (IOException | RuntimeException e) {
            cleaned.closeAndDelete();
            abortIfRemoved(log, group, e);
            throw e;
        }
        if (!log.replaceSegments(group, cleaned)) {
            throw new CleaningAbortedException("The segments of " + log.topicPartition() + " changed during cleaning");
        }
        LOG.debug("Swapped cleaned segment {} ({} bytes) in for {} segment(s) of {}", cleaned.baseOffset(), cleaned.size(),
                group.size(), log.topicPartition());
        return filter.keylessRecords();
    }

    /**
     * Throws a {@link CleaningAbortedException} for {@code failure} if retention or DeleteRecords removed one
     * of the segments being read meanwhile (closing its file under the reader): the next cleaning retries.
     */
    private static void abortIfRemoved(PartitionLog log, List<LogSegment> reading, Exception failure) {
        if (!(failure instanceof CleaningAbortedException) && !log.holdsAll(reading)) {
            throw new CleaningAbortedException("A segment of " + log.topicPartition() + " was removed during cleaning: " + failure);
        }
    }

    /** The offset after the group's last batch, or -1 if all its segments are empty. */
    private static long groupNextOffset(List<LogSegment> group) {
        for (int i = group.size() - 1; i >= 0; i--) {
            if (group.get(i).size() > 0) {
                return group.get(i).readNextOffset();
            }
        }
        return -1;
    }

    /** Copies what {@code filter} retains of {@code source} to {@code cleaned}, one I/O buffer at a time. */
    private void cleanInto(LogSegment source, LogSegment cleaned, CleanerFilter filter, int maxMessageBytes) throws IOException {
        int position = 0;
        while (position < source.size()) {
            checkNotStopped();
            readBuffer.clear();
            writeBuffer.clear();
            source.readInto(readBuffer, position);
            MemoryRecords.FilterResult result = MemoryRecords.readableRecords(readBuffer)
                    .filterTo(filter, writeBuffer, decompression, Integer.MAX_VALUE);
            position += result.bytesRead();
            ByteBuffer retained = result.outputBuffer();
            if (retained.position() > 0) {
                retained.flip();
                cleaned.appendCleaned(MemoryRecords.readableRecords(retained));
            }
            if (result.bytesRead() == 0) {
                growBuffers(source, position, maxMessageBytes);
            }
        }
        restoreBuffers();
    }

    /** The next batch does not fit the read buffer: doubles both buffers, up to what the batch needs. */
    private void growBuffers(LogSegment source, int position, int maxMessageBytes) {
        Integer batchSize = MemoryRecords.readableRecords(readBuffer.rewind()).firstBatchSize();
        int needed = batchSize == null ? maxMessageBytes : batchSize;
        if (batchSize != null && (batchSize <= readBuffer.capacity() || batchSize > source.size() - position)) {
            throw new IllegalStateException("Unreadable batch of " + batchSize + " bytes at position " + position + " of " + source);
        }
        int size = Math.max(needed, Math.min(readBuffer.capacity() * 2, Math.max(maxMessageBytes, needed)));
        LOG.info("Growing cleaner I/O buffers from {} to {} bytes", readBuffer.capacity(), size);
        readBuffer = ByteBuffer.allocate(size);
        writeBuffer = ByteBuffer.allocate(size);
    }

    private void restoreBuffers() {
        if (readBuffer.capacity() > ioBufferSize) {
            readBuffer = ByteBuffer.allocate(ioBufferSize);
            writeBuffer = ByteBuffer.allocate(ioBufferSize);
        }
    }

    private void checkNotStopped() {
        if (stopRequested.getAsBoolean()) {
            throw new CleaningAbortedException("The cleaner is shutting down");
        }
    }
}
