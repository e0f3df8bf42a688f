package io.runnel.storage.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.runnel.storage.cleaner.CleanerConfig;
import io.runnel.storage.cleaner.LogCleaner;
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

    /** One record as read back. */
    record Read(long offset, String key, String value) {
    }

    /** Every record of the log from its start, in offset order. */
    static List<Read> readAll(PartitionLog log) {
        List<Read> all = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.highWatermark()) {
            FetchSlice slice = log.read(offset, 1 << 20, true);
            if (slice.isEmpty()) {
                break;
            }
            for (RecordBatch batch : Batches.batches(slice)) {
                for (Record record : batch) {
                    if (record.offset() >= offset) {
                        all.add(new Read(record.offset(), string(record.key()), record.hasValue() ? string(record.value()) : null));
                    }
                }
                offset = Math.max(offset, batch.nextOffset());
            }
        }
        return all;
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
