package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class PartitionLogAppendTest extends LogTestBase {

    @Test
    void shouldAssignContiguousOffsetsAcrossAppends() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        AppendResult first = log.appendAsLeader(Batches.plain(T0, "a", "b", "c"), 0);
        AppendResult second = log.appendAsLeader(Batches.gzip(T0, "d", "e"), 0);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.highWatermark()).isEqualTo(5);
        assertThat(Batches.offsets(log.read(0, Integer.MAX_VALUE, false))).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(Batches.values(log.read(0, Integer.MAX_VALUE, false))).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void shouldWriteBatchesByteForByteWithOffsetAndEpochSetInPlace() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "x"), 0);
        ByteBuffer request = Batches.gzip(T0, "y", "z");

        log.appendAsLeader(request, 7);

        RecordBatch stored = Batches.batches(log.read(1, Integer.MAX_VALUE, false)).get(0);
        assertThat(stored.baseOffset()).isEqualTo(1);
        assertThat(stored.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(stored.isValid()).isTrue();
        assertThat(Batches.bytes(log.read(1, Integer.MAX_VALUE, false))).isEqualTo(request.duplicate().rewind());
    }

    @Test
    void shouldAppendSeveralBatchesOfOneRequest() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        AppendResult result = log.appendAsLeader(Batches.concat(Batches.plain(T0, "a", "b"), Batches.gzip(T0, "c")), 0);

        assertThat(result.batchCount()).isEqualTo(2);
        assertThat(result.lastOffset()).isEqualTo(2);
        assertThat(Batches.batches(log.read(0, Integer.MAX_VALUE, false))).extracting(RecordBatch::baseOffset)
                .containsExactly(0L, 2L);
    }

    @Test
    void shouldRejectCrcCorruptBatchWithNothingWritten() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer corrupt = Batches.plain(T0, "hello");
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 0x5a));

        assertThatThrownBy(() -> log.appendAsLeader(Batches.concat(Batches.plain(T0, "ok"), corrupt), 0))
                .isInstanceOf(CorruptRecordException.class);
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void shouldRejectOversizeBatch() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withMaxMessageBytes(100));

        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "x".repeat(200)), 0))
                .isInstanceOf(RecordTooLargeException.class);
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void shouldRejectOldMagic() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer v1 = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1, Compression.NONE,
                Batches.records(T0, "old")).buffer();

        assertThatThrownBy(() -> log.appendAsLeader(v1, 0)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void shouldRejectControlBatchFromClient() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer marker = MemoryRecords.withEndTransactionMarker(5L, (short) 0,
                new EndTransactionMarker(ControlRecordType.COMMIT, 0)).buffer();

        assertThatThrownBy(() -> log.appendAsLeader(marker, 0)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void shouldRejectTrailingPartialBatch() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer whole = Batches.plain(T0, "a");
        ByteBuffer withTail = Batches.concat(whole, ByteBuffer.wrap(new byte[20]));

        assertThatThrownBy(() -> log.appendAsLeader(withTail, 0)).isInstanceOf(CorruptRecordException.class);
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void shouldSetLogAppendTimeWhenTopicUsesIt() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME));
        clock.advance(5_000);

        AppendResult result = log.appendAsLeader(Batches.gzip(T0, "a", "b"), 0);

        assertThat(result.logAppendTime()).isEqualTo(T0 + 5_000);
        RecordBatch stored = Batches.batches(log.read(0, Integer.MAX_VALUE, false)).get(0);
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(T0 + 5_000);
        assertThat(stored.isValid()).isTrue();
    }

    @Test
    void shouldReportNoLogAppendTimeForCreateTimeTopics() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        assertThat(log.appendAsLeader(Batches.plain(T0, "a"), 0).logAppendTime()).isEqualTo(-1);
    }

    @Test
    void shouldNamePartitionFilesLikeKafka() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        log.close();

        try (var files = Files.list(partitionDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).contains(
                    "00000000000000000000.log", "00000000000000000000.index", "00000000000000000000.timeindex",
                    "leader-epoch-checkpoint", "partition.metadata", "00000000000000000001.snapshot");
        }
        assertThat(Files.readAllLines(partitionDir().resolve("partition.metadata")))
                .containsExactly("version: 0", "topic_id: " + TOPIC_ID);
    }

    @Test
    void shouldRejectAppendsAfterClose() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.close();

        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "a"), 0))
                .isInstanceOf(org.apache.kafka.common.errors.KafkaStorageException.class);
        assertThat(List.of(log.logEndOffset())).containsExactly(0L);
    }
}
