package io.runnel.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.runnel.storage.txn.AbortedTxn;
import io.runnel.storage.txn.TransactionIndex;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.LeaderChangeMessage;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner's walk through transactions, batch by batch, as Kafka's {@code CleanedTransactionMetadata} decides. */
class CleanedTransactionsTest {
    private static final long P = 7;
    private static final long Q = 8;
    private static final short EPOCH = 1;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private TransactionIndex cleanedIndex;
    private final CleanedTransactions transactions = new CleanedTransactions();

    @BeforeEach
    void writeToCleanedIndex() throws Exception {
        cleanedIndex = new TransactionIndex(0, dir.resolve("00000000000000000000.txnindex.cleaned"));
        transactions.indexRetainedAbortsIn(cleanedIndex);
    }

    private static RecordBatch data(long offset, long producerId, boolean transactional) {
        SimpleRecord record = new SimpleRecord(T0, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
        MemoryRecords records = transactional
                ? MemoryRecords.withTransactionalRecords(offset, Compression.NONE, producerId, EPOCH, 0, 0, record)
                : MemoryRecords.withRecords(offset, Compression.NONE, record);
        return records.batches().iterator().next();
    }

    private static RecordBatch marker(long offset, long producerId, ControlRecordType type) {
        return MemoryRecords.withEndTransactionMarker(offset, T0, 0, producerId, EPOCH, new EndTransactionMarker(type, 0))
                .batches().iterator().next();
    }

    /** A control batch whose marker an earlier cleaning removed. */
    private static RecordBatch emptyControlBatch(long offset, long producerId) {
        ByteBuffer buffer = ByteBuffer.allocate(DefaultRecordBatch.RECORD_BATCH_OVERHEAD);
        DefaultRecordBatch.writeEmptyHeader(buffer, RecordBatch.MAGIC_VALUE_V2, producerId, EPOCH, RecordBatch.NO_SEQUENCE,
                offset, offset, 0, TimestampType.CREATE_TIME, T0, true, true);
        buffer.flip();
        return MemoryRecords.readableRecords(buffer).batches().iterator().next();
    }

    @Test
    void shouldTellTheBatchesOfAnAbortedTransactionAndKeepAndIndexItsMarker() {
        AbortedTxn abort = new AbortedTxn(P, 0, 3, 4);
        transactions.addAborted(List.of(abort));

        assertThat(transactions.onDataBatch(data(0, P, true))).isTrue();
        assertThat(transactions.onDataBatch(data(1, Q, true))).isFalse();
        assertThat(transactions.onDataBatch(data(2, P, true))).isTrue();
        assertThat(transactions.onControlBatch(marker(3, P, ControlRecordType.ABORT))).isFalse();

        assertThat(cleanedIndex.entries()).containsExactly(abort);
        // the transaction ended: the producer's next one is not aborted
        assertThat(transactions.onDataBatch(data(5, P, true))).isFalse();
    }

    @Test
    void shouldLetAnAbortMarkerGoWhenNoBatchOfItsTransactionIsLeft() {
        transactions.addAborted(List.of(new AbortedTxn(P, 0, 3, 4)));

        assertThat(transactions.onControlBatch(marker(3, P, ControlRecordType.ABORT))).isTrue();

        assertThat(cleanedIndex.entries()).isEmpty();
    }

    @Test
    void shouldKeepACommitMarkerOnlyWhileBatchesOfItsTransactionAreLeft() {
        assertThat(transactions.onDataBatch(data(0, P, true))).isFalse();
        assertThat(transactions.onControlBatch(marker(1, P, ControlRecordType.COMMIT))).isFalse();

        assertThat(transactions.onControlBatch(marker(2, P, ControlRecordType.COMMIT))).isTrue();
    }

    @Test
    void shouldNeverCallANonTransactionalBatchAborted() {
        transactions.addAborted(List.of(new AbortedTxn(P, 0, 3, 4)));

        assertThat(transactions.onDataBatch(data(1, P, false))).isFalse();
    }

    @Test
    void shouldLetAnEmptyControlBatchGoButKeepOtherControlRecords() {
        RecordBatch leaderChange = MemoryRecords.withLeaderChangeMessage(0, T0, 0, ByteBuffer.allocate(256), new LeaderChangeMessage())
                .batches().iterator().next();

        assertThat(transactions.onControlBatch(emptyControlBatch(1, P))).isTrue();
        assertThat(transactions.onControlBatch(leaderChange)).isFalse();
    }

    @Test
    void shouldIgnoreAnAbortedTransactionFoundTwice() {
        AbortedTxn abort = new AbortedTxn(P, 0, 3, 4);
        transactions.addAborted(List.of(abort));
        assertThat(transactions.onDataBatch(data(0, P, true))).isTrue();
        // the search from the next segment (base 2) finds it again, while the walk is inside it
        transactions.addAborted(List.of(abort));

        assertThat(transactions.onDataBatch(data(2, P, true))).isTrue();
        assertThat(transactions.onControlBatch(marker(3, P, ControlRecordType.ABORT))).isFalse();

        assertThat(cleanedIndex.entries()).containsExactly(abort);
        assertThat(transactions.onDataBatch(data(5, P, true))).isFalse();
    }
}
