package io.runnel.broker.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.ImageFixture;
import io.runnel.broker.partition.LocalPartitions;
import io.runnel.broker.partition.Partition;
import io.runnel.protocol.ZeroCopyRecords;
import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.TxnMarker;
import io.runnel.storage.producer.VerificationGuard;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchResponseData.AbortedTransaction;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer's read of a partition holding, in order: an aborted transaction of producer 1 (offset 0,
 * marker at 1), a plain record (2), an open transaction of producer 2 (3) and a plain record after it (4).
 */
class FetchReaderTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long ABORTED = 1;
    private static final long OPEN = 2;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;
    private LocalPartitions local;

    @BeforeEach
    void setUp() throws Exception {
        local = LocalPartitions.of(dir, new ImageFixture().brokers(1).topic("t", ImageFixture.partition(0, 1)).image());
        Partition partition = local.led(TP);
        partition.appendAsLeader(transactional(ABORTED, "aborted"), true);
        partition.appendAsLeader(MemoryRecords.withEndTransactionMarker(ABORTED, EPOCH, new EndTransactionMarker(ControlRecordType.ABORT, 0)).buffer(),
                true, AppendOrigin.COORDINATOR, VerificationGuard.NONE, TxnMarker.UNKNOWN_TRANSACTION_VERSION);
        partition.appendAsLeader(plain("plain"), true);
        partition.appendAsLeader(transactional(OPEN, "open"), true);
        partition.appendAsLeader(plain("after"), true);
    }

    @AfterEach
    void tearDown() {
        local.close();
    }

    @Test
    void shouldReadCommittedUpToTheLastStableOffsetWithTheAbortedTransactionsOfTheRange() throws Exception {
        PartitionData data = reader(0, true).read().response().responses().get(0).partitions().get(0);

        assertThat(data.highWatermark()).isEqualTo(5);
        assertThat(data.lastStableOffset()).isEqualTo(3);
        assertThat(baseOffsets(data)).containsExactly(0L, 1L, 2L);
        assertThat(data.abortedTransactions()).containsExactly(new AbortedTransaction().setProducerId(ABORTED).setFirstOffset(0));
    }

    @Test
    void shouldListNoAbortedTransactionOutsideTheRangeRead() {
        PartitionData data = reader(2, true).read().response().responses().get(0).partitions().get(0);

        assertThat(data.abortedTransactions()).isEmpty();
    }

    @Test
    void shouldReadUncommittedUpToTheHighWatermarkWithNoAbortedListButTheRealLastStableOffset() throws Exception {
        PartitionData data = reader(0, false).read().response().responses().get(0).partitions().get(0);

        assertThat(data.lastStableOffset()).isEqualTo(3);
        assertThat(baseOffsets(data)).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(data.abortedTransactions()).isNull();
    }

    @Test
    void shouldWaitAtTheLastStableOffsetOnlyWhenReadingCommitted() {
        assertThat(reader(3, true).hasNewDataOrError()).isFalse();
        assertThat(reader(3, false).hasNewDataOrError()).isTrue();
        assertThat(reader(2, true).hasNewDataOrError()).isTrue();
    }

    private FetchReader reader(long fetchOffset, boolean readCommitted) {
        FetchTarget target = new FetchTarget("t", Uuid.ZERO_UUID, new FetchPartition().setPartition(0).setFetchOffset(fetchOffset)
                .setCurrentLeaderEpoch(-1).setPartitionMaxBytes(1 << 20));
        return new FetchReader(local.registry(), null, List.of(target), 1 << 20, false, readCommitted, null);
    }

    /** The base offsets of the batches the answer's byte range holds, read back from the segment. */
    private static List<Long> baseOffsets(PartitionData data) throws Exception {
        ZeroCopyRecords records = (ZeroCopyRecords) data.records();
        ByteBuffer bytes = ByteBuffer.allocate(records.size());
        records.channel().read(bytes, records.position());
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(bytes.flip()).batches()) {
            offsets.add(batch.baseOffset());
        }
        return offsets;
    }

    private static ByteBuffer transactional(long producerId, String value) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, EPOCH, 0, record(value)).buffer();
    }

    private static ByteBuffer plain(String value) {
        return MemoryRecords.withRecords(Compression.NONE, record(value)).buffer();
    }

    private static SimpleRecord record(String value) {
        return new SimpleRecord(value.getBytes(StandardCharsets.UTF_8));
    }
}
