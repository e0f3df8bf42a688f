package io.runnel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class KeyValueRecordsTest {

    private static final long PRODUCER_ID = 4000;
    private static final short PRODUCER_EPOCH = 3;
    private static final long TIMESTAMP = 1_700_000_000_000L;

    @Test
    void shouldVisitThePlainRecordsOfABatchWithNoProducer() {
        ByteBuffer batch = KeyValueRecords.batch(TIMESTAMP, List.of(new KeyValueRecords.KeyValue(bytes("k1"), bytes("v1")),
                new KeyValueRecords.KeyValue(bytes("k2"), null)));

        List<String> seen = new ArrayList<>();
        long next = KeyValueRecords.forEach(batch, recorder(seen));

        assertThat(seen).containsExactly("record 0 k1=v1 pid -1 epoch -1 txn false", "record 1 k2=null pid -1 epoch -1 txn false");
        assertThat(next).isEqualTo(2);
    }

    @Test
    void shouldVisitATransactionalBatchWithItsProducerAndTheMarkerThatEndsIt() {
        ByteBuffer log = concat(
                MemoryRecords.withTransactionalRecords(10, Compression.NONE, PRODUCER_ID, PRODUCER_EPOCH, 0, 0,
                        new SimpleRecord(TIMESTAMP, bytes("k"), bytes("v"))).buffer(),
                MemoryRecords.withEndTransactionMarker(11, TIMESTAMP, 0, PRODUCER_ID, PRODUCER_EPOCH,
                        new EndTransactionMarker(ControlRecordType.ABORT, 7)).buffer(),
                MemoryRecords.withEndTransactionMarker(12, TIMESTAMP, 0, PRODUCER_ID, PRODUCER_EPOCH,
                        new EndTransactionMarker(ControlRecordType.COMMIT, 8)).buffer());

        List<String> seen = new ArrayList<>();
        long next = KeyValueRecords.forEach(log, recorder(seen));

        assertThat(seen).containsExactly("record 10 k=v pid 4000 epoch 3 txn true", "abort 11 coordinator epoch 7 pid 4000 epoch 3",
                "commit 12 coordinator epoch 8 pid 4000 epoch 3");
        assertThat(next).isEqualTo(13);
    }

    @Test
    void shouldIgnoreATruncatedFinalBatch() {
        ByteBuffer whole = KeyValueRecords.batch(TIMESTAMP, List.of(new KeyValueRecords.KeyValue(bytes("k1"), bytes("v1"))));
        ByteBuffer cut = concat(whole.duplicate(), whole.duplicate().limit(whole.limit() - 3));

        List<String> seen = new ArrayList<>();
        long next = KeyValueRecords.forEach(cut, recorder(seen));

        assertThat(seen).hasSize(1);
        assertThat(next).isEqualTo(1);
    }

    private static KeyValueRecords.BatchVisitor recorder(List<String> seen) {
        return new KeyValueRecords.BatchVisitor() {
            @Override
            public void onRecord(KeyValueRecords.BatchHeader batch, long offset, ByteBuffer key, ByteBuffer value) {
                seen.add("record " + offset + " " + text(key) + "=" + text(value) + " pid " + batch.producerId() + " epoch "
                        + batch.producerEpoch() + " txn " + batch.transactional());
            }

            @Override
            public void onMarker(KeyValueRecords.BatchHeader batch, long offset, boolean commit, int coordinatorEpoch) {
                seen.add((commit ? "commit " : "abort ") + offset + " coordinator epoch " + coordinatorEpoch + " pid " + batch.producerId()
                        + " epoch " + batch.producerEpoch());
            }
        };
    }

    private static ByteBuffer concat(ByteBuffer... buffers) {
        ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(buffers).mapToInt(ByteBuffer::remaining).sum());
        for (ByteBuffer buffer : buffers) {
            all.put(buffer.duplicate());
        }
        return all.flip();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ByteBuffer buffer) {
        return buffer == null ? "null" : StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
