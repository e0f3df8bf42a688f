package io.runnel.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class RequestRecordsTest {

    private static final long PRODUCER_ID = 42;
    private static final short EPOCH = 7;
    private static final int SEQUENCE = 11;
    private static final int LOOKUPS = 10_000;
    private static final short PRODUCE_V9 = 9;

    private static ByteBuffer idempotentBatch() {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, PRODUCER_ID, EPOCH, 3, new SimpleRecord("plain".getBytes())).buffer();
    }

    private static ByteBuffer transactionalBatch() {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, PRODUCER_ID, EPOCH, SEQUENCE,
                new SimpleRecord("a".getBytes()), new SimpleRecord("b".getBytes())).buffer();
    }

    private static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer batch : batches) {
            size += batch.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer batch : batches) {
            all.put(batch.duplicate());
        }
        return all.flip();
    }

    @Test
    void shouldFindTheTransactionalBatchAfterAPlainOneAndReadItsProducer() {
        ByteBuffer plain = idempotentBatch();
        ByteBuffer batches = concat(plain, transactionalBatch());

        int first = RequestRecords.firstTransactionalBatchWithProducerId(batches);

        assertThat(first).isEqualTo(plain.remaining());
        assertThat(RequestRecords.producerId(batches, first)).isEqualTo(PRODUCER_ID);
        assertThat(RequestRecords.producerEpoch(batches, first)).isEqualTo(EPOCH);
        assertThat(RequestRecords.baseSequence(batches, first)).isEqualTo(SEQUENCE);
        assertThat(RequestRecords.hasTransactionalBatch(MemoryRecords.readableRecords(batches))).isTrue();
    }

    @Test
    void shouldFindNoTransactionalBatchAmongIdempotentOnes() {
        ByteBuffer batches = concat(idempotentBatch(), idempotentBatch());

        assertThat(RequestRecords.firstTransactionalBatchWithProducerId(batches)).isEqualTo(RequestRecords.NO_BATCH);
        assertThat(RequestRecords.hasTransactionalBatch(MemoryRecords.readableRecords(batches))).isFalse();
    }

    @Test
    void shouldStopAtATruncatedBatchAsKafkasBatchIterationDoes() {
        ByteBuffer whole = concat(idempotentBatch(), transactionalBatch());
        ByteBuffer cut = whole.duplicate().limit(whole.limit() - 1);

        assertThat(RequestRecords.firstTransactionalBatchWithProducerId(cut)).isEqualTo(RequestRecords.NO_BATCH);
    }

    @Test
    void shouldTreatANegativeBatchLengthAsUnreadableRecords() {
        ByteBuffer batches = concat(idempotentBatch(), transactionalBatch());
        batches.putInt(8, -12);

        assertThat(RequestRecords.firstTransactionalBatchWithProducerId(batches)).isEqualTo(RequestRecords.NO_BATCH);
        assertThat(RequestRecords.hasTransactionalBatch(MemoryRecords.readableRecords(batches))).isFalse();
    }

    @Test
    void shouldReadTheHeadersOfEveryTransactionalProduceWithoutAllocating() {
        ByteBuffer batches = concat(idempotentBatch(), transactionalBatch());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long found = 0;

        long before = threads.getThreadAllocatedBytes(id);
        long measuring = threads.getThreadAllocatedBytes(id) - before;
        long start = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < LOOKUPS; i++) {
            int first = RequestRecords.firstTransactionalBatchWithProducerId(batches);
            found += RequestRecords.producerId(batches, first) + RequestRecords.baseSequence(batches, first);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - start - measuring;

        assertThat(found).isEqualTo(LOOKUPS * (PRODUCER_ID + SEQUENCE));
        assertThat(allocated).as("bytes allocated by %d lookups", LOOKUPS).isLessThan(LOOKUPS);
    }

    @Test
    void shouldAcceptOneBatchPerPartition() {
        assertThatCode(() -> RequestRecords.checkProduced(PRODUCE_V9, batch("a"))).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseTwoBatchesForOnePartitionAsKafkaDoes() {
        MemoryRecords first = batch("a");
        MemoryRecords second = batch("b");
        ByteBuffer both = ByteBuffer.allocate(first.sizeInBytes() + second.sizeInBytes());
        both.put(first.buffer()).put(second.buffer()).flip();

        assertThatThrownBy(() -> RequestRecords.checkProduced(PRODUCE_V9, MemoryRecords.readableRecords(both)))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("exactly one record batch");
    }

    @Test
    void shouldRefuseAPartitionWithoutABatch() {
        assertThatThrownBy(() -> RequestRecords.checkProduced(PRODUCE_V9, MemoryRecords.EMPTY)).isInstanceOf(InvalidRecordException.class);
    }

    private static MemoryRecords batch(String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
    }
}
