package io.runnel.bench;

import java.nio.ByteBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/** Producer-shaped record batches for the benchmarks. */
final class RecordBatches {

    private RecordBatches() {
    }

    /** One uncompressed batch of {@code count} records, each with a 16-byte key and a {@code valueBytes} value. */
    static ByteBuffer batch(int count, int valueBytes) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] key = String.format("key-%012d", i).getBytes();
            records[i] = new SimpleRecord(System.currentTimeMillis(), key, new byte[valueBytes]);
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }
}
