package io.runnel.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionStateTest {
    private static final short EPOCH = 4;

    @TempDir
    Path dir;

    private static ProducerBatch txnBatch(long pid, int seq, long offset, long timestamp) {
        return new ProducerBatch(pid, EPOCH, new BatchMetadata(seq, seq, offset, offset, timestamp), true);
    }

    @Test
    void shouldOpenTransactionAtFirstTransactionalBatchOnly() {
        ProducerStateManager state = new ProducerStateManager(dir);

        state.apply(txnBatch(1, 0, 10, 100));
        state.apply(txnBatch(1, 1, 11, 100));

        assertThat(state.entry(1).orElseThrow().currentTxnFirstOffset()).isEqualTo(10);
        assertThat(state.firstUnstableOffset()).isEqualTo(10);
    }

    @Test
    void shouldCompleteTransactionAndKeepItUnstableUntilHighWatermarkPassesMarker() {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(txnBatch(1, 0, 10, 100));

        CompletedTxn completed = state.applyMarker(1, EPOCH, new TxnMarker(false, 7), 12, 200);
        state.completeTxn(completed);

        assertThat(completed).isEqualTo(new CompletedTxn(1, 10, 12, true));
        assertThat(state.hasOpenTxn(1)).isFalse();
        assertThat(state.firstUnstableOffset()).isEqualTo(10);
        state.onHighWatermarkUpdated(12);
        assertThat(state.firstUnstableOffset()).isEqualTo(10);
        state.onHighWatermarkUpdated(13);
        assertThat(state.firstUnstableOffset()).isEqualTo(-1);
    }

    @Test
    void shouldComputeLastStableOffsetAfterCompletionFromOtherProducersOpenTransactions() {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(txnBatch(1, 0, 10, 100));
        state.apply(txnBatch(2, 0, 11, 100));

        CompletedTxn first = state.applyMarker(1, EPOCH, new TxnMarker(true, 0), 12, 200);
        CompletedTxn second = state.applyMarker(2, EPOCH, new TxnMarker(true, 0), 13, 200);

        assertThat(state.lastStableOffsetAfter(first)).isEqualTo(11);
        state.completeTxn(first);
        assertThat(state.lastStableOffsetAfter(second)).isEqualTo(14);
    }

    @Test
    void shouldYieldNoCompletedTransactionForMarkerWithoutData() {
        ProducerStateManager state = new ProducerStateManager(dir);

        assertThat(state.applyMarker(1, EPOCH, new TxnMarker(true, 3), 5, 200)).isNull();
        assertThat(state.entry(1).orElseThrow().coordinatorEpoch()).isEqualTo(3);
    }

    @Test
    void shouldForgetCachedBatchesWhenMarkerBumpsEpoch() {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(txnBatch(1, 0, 10, 100));

        state.applyMarker(1, (short) (EPOCH + 1), new TxnMarker(true, 0), 11, 200);

        ProducerEntry entry = state.entry(1).orElseThrow();
        assertThat(entry.epoch()).isEqualTo((short) (EPOCH + 1));
        assertThat(entry.batches()).isEmpty();
        assertThat(entry.lastTimestamp()).isEqualTo(200);
    }

    @Test
    void shouldNeverExpireProducerWithOpenTransaction() {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(txnBatch(1, 0, 10, 100));
        state.apply(new ProducerBatch(2, EPOCH, new BatchMetadata(0, 0, 11, 11, 100)));

        assertThat(state.removeExpiredProducers(1_000_000, 1_000)).isEqualTo(1);

        assertThat(state.hasOpenTxn(1)).isTrue();
        assertThat(state.entry(2)).isEmpty();
    }

    @Test
    void shouldRoundTripSnapshotWithOpenTransaction() throws Exception {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.applyMarker(1, EPOCH, new TxnMarker(true, 9), 3, 50);
        state.apply(txnBatch(1, 0, 10, 100));
        state.apply(txnBatch(2, 0, 11, 100));
        state.completeTxn(state.applyMarker(2, (short) (EPOCH + 1), new TxnMarker(false, 9), 12, 300));
        state.takeSnapshot(13);

        ProducerStateManager loaded = new ProducerStateManager(dir);

        assertThat(loaded.loadLatestSnapshot(13)).isEqualTo(13);
        ProducerEntry open = loaded.entry(1).orElseThrow();
        assertThat(open.currentTxnFirstOffset()).isEqualTo(10);
        assertThat(open.coordinatorEpoch()).isEqualTo(9);
        assertThat(open.batches()).isEqualTo(state.entry(1).orElseThrow().batches());
        ProducerEntry closed = loaded.entry(2).orElseThrow();
        assertThat(closed.hasOpenTxn()).isFalse();
        assertThat(closed.batches()).isEmpty();
        assertThat(closed.lastTimestamp()).isEqualTo(300);
        assertThat(loaded.firstUnstableOffset()).isEqualTo(10);
    }

    @Test
    void shouldReadVersionZeroSnapshot() throws Exception {
        ByteBuffer body = ByteBuffer.allocate(4 + 8 + 2 + 1 + 32);
        body.putInt(1).putLong(7L).putShort((short) 2).put((byte) 1)
                .putInt(0).putInt(4).putLong(20L).putLong(24L).putLong(1_234L).flip();
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        ByteBuffer file = ByteBuffer.allocate(2 + 4 + body.remaining());
        file.putShort((short) 0).putInt((int) crc.getValue()).put(body).flip();
        Files.write(ProducerSnapshotFile.path(dir, 25), file.array());

        ProducerStateManager loaded = new ProducerStateManager(dir);

        assertThat(loaded.loadLatestSnapshot(25)).isEqualTo(25);
        ProducerEntry entry = loaded.entry(7).orElseThrow();
        assertThat(entry.epoch()).isEqualTo((short) 2);
        assertThat(entry.batches()).containsExactly(new BatchMetadata(0, 4, 20, 24, 1_234));
        assertThat(entry.lastTimestamp()).isEqualTo(1_234);
        assertThat(entry.hasOpenTxn()).isFalse();
        assertThat(entry.coordinatorEpoch()).isEqualTo(-1);
    }
}
