package io.runnel.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
    void shouldFindTheFirstEntryAtOrAfterAPositionAsKafkasFetchUpperBound() throws Exception {
        OffsetIndex index = new OffsetIndex(dir.resolve("0100.index"), 100, 1024);
        index.append(110, 500);
        index.append(120, 900);

        assertThat(index.firstOffsetAtOrAfter(0)).isEqualTo(110);
        assertThat(index.firstOffsetAtOrAfter(500)).isEqualTo(110);
        assertThat(index.firstOffsetAtOrAfter(501)).isEqualTo(120);
        assertThat(index.firstOffsetAtOrAfter(901)).isEqualTo(-1);
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
    void failedShrinkShouldLeaveFileAtLeastAsLongAsTheMapping() throws Exception {
        Path file = dir.resolve("0.index");
        OffsetIndex index = new OffsetIndex(file, 0, 1024);
        index.append(3, 100);
        // map() fails on an interrupted thread (the channel closes), RandomAccessFile.setLength does not
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(index::trimToValidSize).isInstanceOf(IOException.class);
        } finally {
            Thread.interrupted();
        }

        // otherwise writing an entry past the end of the file would fault (SIGBUS)
        assertThat(Files.size(file)).isGreaterThanOrEqualTo((long) index.maxEntries() * OffsetIndex.ENTRY_SIZE);
        index.append(7, 200);
        assertThat(index.lookup(10)).isEqualTo(new OffsetPosition(7, 200));
        index.trimToValidSize();
        assertThat(Files.size(file)).isEqualTo(16);
        assertThat(index.maxEntries()).isEqualTo(2);
        index.close();
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

    @Test
    void shouldUnmapReplacedMappingWhenTrimmed() throws Exception {
        assumeTrue(ProcMaps.available(), "needs Linux /proc/self/maps and Unsafe#invokeCleaner");
        OffsetIndex index = new OffsetIndex(dir.resolve("0.index"), 0, 1024);
        index.append(3, 100);

        index.trimToValidSize();
        index.resize(1024);

        assertThat(ProcMaps.mappingsUnder(dir)).isEqualTo(1);
        assertThat(index.lookup(5)).isEqualTo(new OffsetPosition(3, 100));
    }

    @Test
    void shouldUnmapOnCloseAndReadAsEmptyAfterwards() throws Exception {
        assumeTrue(ProcMaps.available(), "needs Linux /proc/self/maps and Unsafe#invokeCleaner");
        TimeIndex index = new TimeIndex(dir.resolve("0.timeindex"), 0, 1200);
        index.maybeAppend(100, 1, false);
        assertThat(ProcMaps.mappingsUnder(dir)).isEqualTo(1);

        index.close();

        assertThat(ProcMaps.mappingsUnder(dir)).isZero();
        assertThat(index.lookup(200)).isEqualTo(new TimestampOffset(-1, 0));
    }

    @Test
    void shouldUnmapBeforeDeletingTheFile() throws Exception {
        assumeTrue(ProcMaps.available(), "needs Linux /proc/self/maps and Unsafe#invokeCleaner");
        OffsetIndex index = new OffsetIndex(dir.resolve("0.index"), 0, 1024);

        index.deleteIfExists();

        assertThat(Files.exists(dir.resolve("0.index"))).isFalse();
        assertThat(ProcMaps.mappingsUnder(dir)).isZero();
    }

    @Test
    void shouldAnswerLookupsCorrectlyWhileTheMappingIsReplaced() throws Exception {
        OffsetIndex index = new OffsetIndex(dir.resolve("0.index"), 0, 8 * 64);
        for (int i = 1; i <= 32; i++) {
            index.append(i * 10L, i * 100);
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<Long> reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            long lookups = 0;
            while (!done.get()) {
                assertThat(index.lookup(255)).isEqualTo(new OffsetPosition(250, 2500));
                lookups++;
            }
            return lookups;
        });

        for (int i = 0; i < 500; i++) {
            index.trimToValidSize();
            index.resize(8 * 64);
        }
        done.set(true);

        assertThat(reader.get()).isPositive();
    }
}
