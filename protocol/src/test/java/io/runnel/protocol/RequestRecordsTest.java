package io.runnel.protocol;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class RequestRecordsTest {

    private static final short PRODUCE_V9 = 9;

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
