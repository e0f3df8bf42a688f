package io.runnel.storage.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionIndexTest {
    private static final long BASE = 100;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("00000000000000000100.txnindex");
    }

    /** Kafka's documented version 0 entry, written field by field: int16 version, then four int64. */
    private static byte[] kafkaEntry(long producerId, long firstOffset, long lastOffset, long lastStableOffset)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(0);
            out.writeLong(producerId);
            out.writeLong(firstOffset);
            out.writeLong(lastOffset);
            out.writeLong(lastStableOffset);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void shouldWriteKafkasThirtyFourByteLayout() throws IOException {
        TransactionIndex index = new TransactionIndex(BASE, file());
        index.append(new AbortedTxn(7, 100, 105, 106));
        index.append(new AbortedTxn(0x0102030405060708L, 101, 110, 103));
        index.close();

        byte[] expected = concat(kafkaEntry(7, 100, 105, 106), kafkaEntry(0x0102030405060708L, 101, 110, 103));
        assertThat(expected).hasSize(2 * AbortedTxn.SIZE);
        assertThat(Files.readAllBytes(file())).containsExactly(expected);
    }

    @Test
    void shouldReadEntriesWrittenInKafkasLayout() throws IOException {
        Files.write(file(), concat(kafkaEntry(7, 100, 105, 106), kafkaEntry(8, 101, 110, 111)));

        TransactionIndex index = new TransactionIndex(BASE, file());

        assertThat(index.entries()).containsExactly(new AbortedTxn(7, 100, 105, 106), new AbortedTxn(8, 101, 110, 111));
    }

    @Test
    void shouldDropATornLastEntryOnOpen() throws IOException {
        byte[] whole = kafkaEntry(7, 100, 105, 106);
        Files.write(file(), concat(whole, new byte[] {0, 0, 0, 0, 0}));

        assertThat(new TransactionIndex(BASE, file()).entries()).containsExactly(new AbortedTxn(7, 100, 105, 106));
    }

    @Test
    void shouldCreateTheFileOnlyOnTheFirstEntry() throws IOException {
        TransactionIndex index = new TransactionIndex(BASE, file());
        index.flush();
        index.truncateTo(0);
        assertThat(file()).doesNotExist();

        index.append(new AbortedTxn(7, 100, 105, 106));

        assertThat(file()).exists();
    }

    @Test
    void shouldRejectAnEntryWhoseLastOffsetDoesNotIncrease() throws IOException {
        TransactionIndex index = new TransactionIndex(BASE, file());
        index.append(new AbortedTxn(7, 100, 105, 106));

        assertThatThrownBy(() -> index.append(new AbortedTxn(8, 101, 105, 106)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCollectOverlappingEntriesAndStopAtOneStableBeyondTheUpperBound() throws IOException {
        TransactionIndex index = new TransactionIndex(BASE, file());
        index.append(new AbortedTxn(1, 100, 102, 103));
        index.append(new AbortedTxn(2, 104, 108, 109));
        index.append(new AbortedTxn(3, 109, 115, 116));
        index.append(new AbortedTxn(4, 116, 120, 121));
        List<AbortedTxn> found = new ArrayList<>();

        boolean complete = index.collect(103, 110, found);

        // 1 ends before the fetch offset; 3 starts before the bound and its LSO passes it, so 4 is never read
        assertThat(found).extracting(AbortedTxn::producerId).containsExactly(2L, 3L);
        assertThat(complete).isTrue();
    }

    @Test
    void shouldReportAnIncompleteSearchWhenNoEntryIsStableBeyondTheBound() throws IOException {
        TransactionIndex index = new TransactionIndex(BASE, file());
        index.append(new AbortedTxn(1, 100, 102, 103));
        List<AbortedTxn> found = new ArrayList<>();

        assertThat(index.collect(100, 200, found)).isFalse();
        assertThat(found).hasSize(1);
    }

    @Test
    void shouldTruncateEntriesWithMarkersAtOrAboveTheOffset() throws IOException {
        TransactionIndex index = new TransactionIndex(BASE, file());
        index.append(new AbortedTxn(1, 100, 102, 103));
        index.append(new AbortedTxn(2, 103, 105, 106));

        index.truncateTo(105);

        assertThat(index.entries()).containsExactly(new AbortedTxn(1, 100, 102, 103));
        assertThat(Files.size(file())).isEqualTo(AbortedTxn.SIZE);
        index.close();
        assertThat(new TransactionIndex(BASE, file()).entries()).containsExactly(new AbortedTxn(1, 100, 102, 103));
    }

    @Test
    void shouldFindAnEntryBelowTheSegmentBaseInconsistent() throws IOException {
        Files.write(file(), kafkaEntry(7, 10, 50, 51));

        assertThat(new TransactionIndex(BASE, file()).isConsistent()).isFalse();
    }

    @Test
    void shouldKeepAppendingToTheRenamedFile() throws IOException {
        TransactionIndex index = new TransactionIndex(BASE, file());
        index.append(new AbortedTxn(1, 100, 102, 103));
        Path renamed = dir.resolve("00000000000000000100.txnindex.deleted");

        index.renameTo(renamed);
        index.append(new AbortedTxn(2, 103, 105, 106));
        index.close();

        assertThat(file()).doesNotExist();
        assertThat(Files.size(renamed)).isEqualTo(2L * AbortedTxn.SIZE);
    }

    @Test
    void shouldDeleteTheFileOnReset() throws IOException {
        TransactionIndex index = new TransactionIndex(BASE, file());
        index.append(new AbortedTxn(1, 100, 102, 103));

        index.reset();

        assertThat(file()).doesNotExist();
        assertThat(index.isEmpty()).isTrue();
    }
}
