package io.runnel.storage.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import io.runnel.storage.cleaner.CleanerConfig;
import io.runnel.storage.cleaner.LogCleaner;
import io.runnel.storage.producer.TxnMarker;
import io.runnel.storage.txn.AbortedTxn;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;

/**
 * Compacted logs in a {@link LogManager} on the test's clock, and a {@link LogCleaner} whose duty
 * cycle the test runs by hand ({@link #cleanOnce()}), so nothing happens behind the test's back.
 */
abstract class CompactionTestBase extends LogTestBase {
    /** Small segments (a few dozen one-record batches each), compacted, cleaned as soon as anything is dirty. */
    static final LogConfig COMPACTED = LogConfig.defaults().withSegmentBytes(2048).withIndexIntervalBytes(128)
            .withRetentionMs(-1).withFileDeleteDelayMs(0)
            .withCompaction(CompactionConfig.NOT_COMPACTED.compacted().withMinCleanableRatio(0.01));
    static final CleanerConfig CLEANER = new CleanerConfig(true, 1, 1024 * 1024, 0.9, 64 * 1024, 0);

    LogManager manager;
    LogCleaner cleaner;

    /** A compacted log at {@code tempDir/events-0}, managed and cleaned. */
    PartitionLog openManaged(LogConfig config) throws IOException {
        manager = LogManager.open(List.of(tempDir), clock);
        cleaner = new LogCleaner(CLEANER, manager, clock);
        return manager.getOrCreateLog(TP, TOPIC_ID, config);
    }

    int cleanOnce() {
        return cleaner.cleanDirtiestLog();
    }

    /** Appends {@code rounds} updates of each of {@code keys} keys ("k0".."kN"), value "v<round>-<key>", one batch each. */
    static void writeUpdates(PartitionLog log, long timestamp, int keys, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int key = 0; key < keys; key++) {
                log.appendAsLeader(Batches.keyed(timestamp, "k" + key, "v" + round + "-k" + key), 0);
            }
        }
    }

    /** The values written by {@link #writeTransactions} in aborted transactions start with this. */
    static final String ABORTED = "aborted-";
    private static final long FIRST_TXN_PRODUCER = 3000;
    private static final int TXN_PRODUCERS = 3;
    private final Map<Long, Integer> nextSequence = new HashMap<>();

    /** Appends a transactional batch of one keyed record for {@code producerId} at epoch {@link LastStableOffsetTest#EPOCH}. */
    void putTransactional(PartitionLog log, long producerId, String key, String value) {
        int sequence = nextSequence.merge(producerId, 1, Integer::sum) - 1;
        log.appendAsLeader(Batches.keyedTransactional(producerId, LastStableOffsetTest.EPOCH, sequence, T0, key, value), 0);
    }

    /**
     * Appends {@code rounds} rounds of interleaved transactions, one per producer of three, over keys
     * "t0".."t6": two batches each, a plain update between, then the markers. Every fourth
     * transaction is aborted, its values starting with {@link #ABORTED}; the others are committed.
     */
    void writeTransactions(PartitionLog log, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int batch = 0; batch < 2; batch++) {
                for (int producer = 0; producer < TXN_PRODUCERS; producer++) {
                    int txn = round * TXN_PRODUCERS + producer;
                    String value = (txn % 4 == 0 ? ABORTED : "committed-") + txn + "-" + batch;
                    putTransactional(log, FIRST_TXN_PRODUCER + producer, "t" + (txn + batch) % 7, value);
                }
            }
            log.appendAsLeader(Batches.keyed(T0, "t" + round % 7, "plain-" + round), 0);
            for (int producer = 0; producer < TXN_PRODUCERS; producer++) {
                boolean commit = (round * TXN_PRODUCERS + producer) % 4 != 0;
                LastStableOffsetTest.writeMarker(log, FIRST_TXN_PRODUCER + producer, LastStableOffsetTest.EPOCH, commit, 0);
            }
        }
    }

    static boolean isAborted(Read read) {
        return read.value() != null && read.value().startsWith(ABORTED);
    }

    /** One record as read back. */
    record Read(long offset, String key, String value) {
    }

    /** Every data record of the log from its start up to the high watermark, in offset order, as read_uncommitted consumers see them. */
    static List<Read> readAll(PartitionLog log) {
        return read(log, FetchIsolation.HIGH_WATERMARK, log.highWatermark());
    }

    /**
     * Every data record of the log from its start up to the last stable offset, in offset order, as a
     * read_committed consumer sees them: each fetch comes with the aborted transactions it overlaps
     * ({@link PartitionLog#abortedTransactions}), whose batches the consumer skips.
     */
    static List<Read> readCommitted(PartitionLog log) {
        return read(log, FetchIsolation.TXN_COMMITTED, log.lastStableOffset());
    }

    private static List<Read> read(PartitionLog log, FetchIsolation isolation, long end) {
        List<Read> all = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < end) {
            FetchSlice slice = log.read(offset, 1 << 20, true, isolation);
            if (slice.isEmpty()) {
                break;
            }
            List<RecordBatch> batches = Batches.batches(slice);
            long upperBound = batches.get(batches.size() - 1).nextOffset();
            AbortedBatchSkipper skipper = new AbortedBatchSkipper(isolation == FetchIsolation.TXN_COMMITTED
                    ? log.abortedTransactions(offset, upperBound) : List.of());
            for (RecordBatch batch : batches) {
                if (!skipper.skips(batch)) {
                    addRecords(batch, offset, all);
                }
            }
            offset = Math.max(offset, upperBound);
        }
        return all;
    }

    private static void addRecords(RecordBatch batch, long from, List<Read> out) {
        for (Record record : batch) {
            if (record.offset() >= from) {
                out.add(new Read(record.offset(), string(record.key()), record.hasValue() ? string(record.value()) : null));
            }
        }
    }

    /**
     * What a consumer does with the batches of one fetch, as Kafka's {@code CompletedFetch}: control
     * batches are never returned; a transactional batch of a producer inside one of the fetch's aborted
     * transactions (from its first offset to its ABORT marker) is skipped.
     */
    private static final class AbortedBatchSkipper {
        private final PriorityQueue<AbortedTxn> aborted = new PriorityQueue<>(Comparator.comparingLong(AbortedTxn::firstOffset));
        private final Set<Long> abortedProducers = new HashSet<>();

        AbortedBatchSkipper(List<AbortedTxn> abortedTransactions) {
            aborted.addAll(abortedTransactions);
        }

        boolean skips(RecordBatch batch) {
            while (!aborted.isEmpty() && aborted.peek().firstOffset() <= batch.lastOffset()) {
                abortedProducers.add(aborted.poll().producerId());
            }
            if (batch.isControlBatch()) {
                TxnMarker marker = TxnMarker.of(batch);
                if (marker != null && !marker.commit()) {
                    abortedProducers.remove(batch.producerId());
                }
                return true;
            }
            return batch.isTransactional() && abortedProducers.contains(batch.producerId());
        }
    }

    /** The latest record of each key, by key, in the order the keys first appear. */
    static Map<String, Read> latestByKey(List<Read> records) {
        Map<String, Read> latest = new LinkedHashMap<>();
        records.forEach(record -> latest.put(record.key(), record));
        return latest;
    }

    private static String string(java.nio.ByteBuffer buffer) {
        return buffer == null ? null : StandardCharsets.UTF_8.decode(buffer).toString();
    }

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }
}
