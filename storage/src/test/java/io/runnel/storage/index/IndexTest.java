package io.runnel.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexTest {
    @TempDir
    Path dir;

    @Test
    void shouldLookUpLargestOffsetEntryAtOrBelowTarget() throws Exception {
        OffsetIndex index = new OffsetIndex(dir.resolve("0100.index"), 100, 1024);
        index.append(110, 500);
        index.append(120, 900);

        assertThat(index.lookup(105)).isEqualTo(new OffsetPosition(100, 0));
        assertThat(index.lookup(110)).isEqualTo(new OffsetPosition(110, 500));
        assertThat(index.lookup(119)).isEqualTo(new OffsetPosition(110, 500));
        assertThat(index.lookup(1_000)).isEqualTo(new OffsetPosition(120, 900));
    }

    @Test
    void shouldPreallocateThenTrimToEntries() throws Exception {
        Path file = dir.resolve("0.index");
        OffsetIndex index = new OffsetIndex(file, 0, 1024);
        assertThat(Files.size(file)).isEqualTo(1024);
        index.append(3, 100);

        index.trimToValidSize();

        assertThat(Files.size(file)).isEqualTo(8);
        OffsetIndex reopened = new OffsetIndex(file, 0, 1024);
        assertThat(reopened.entries()).isEqualTo(1);
        assertThat(reopened.lastEntry()).isEqualTo(new OffsetPosition(3, 100));
    }

    @Test
    void shouldDetectZeroFilledIndexAsInconsistent() throws Exception {
        Path file = dir.resolve("0.index");
        Files.write(file, new byte[64]);

        assertThat(new OffsetIndex(file, 0, 1024).isConsistentWith(10_000)).isFalse();
    }

    @Test
    void shouldKeepTimestampsIncreasingAndReserveLastSlot() throws Exception {
        TimeIndex index = new TimeIndex(dir.resolve("0.timeindex"), 0, 36);
        index.maybeAppend(100, 1, false);
        index.maybeAppend(90, 2, false);
        index.maybeAppend(200, 3, false);
        assertThat(index.entries()).isEqualTo(2);
        assertThat(index.isFull()).isTrue();

        index.maybeAppend(300, 4, true);

        assertThat(index.lookup(250)).isEqualTo(new TimestampOffset(200, 3));
        assertThat(index.lookup(50)).isEqualTo(new TimestampOffset(-1, 0));
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(300, 4));
    }
}
