package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.runnel.storage.log.PartitionLog.SwapStep;
import io.runnel.storage.segment.SegmentFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash at any step of swapping cleaned segments in (simulated by stopping there and reopening
 * the directory as after a kill, with the files exactly as that step left them) loses nothing and
 * duplicates nothing: every offset is read back at most once, every record read back was written,
 * the latest record of each key is still there, and no temporary file is left.
 */
class CleanerCrashRecoveryTest extends CompactionTestBase {
    private static final int KEYS = 10;
    private static final int ROUNDS = 20;

    /**
     * A crash signalled from inside the swap; the log is abandoned as a killed broker would abandon it.
     * An Error, so that no cleanup meant for ordinary failures runs, as none would after a kill.
     */
    private static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;
    }

    static Stream<Arguments> crashPoints() {
        // the first swap replaces several small segments, the second a single full one
        return Stream.of(SwapStep.values()).flatMap(step -> Stream.of(Arguments.of(step, 1), Arguments.of(step, 2)));
    }

    @ParameterizedTest(name = "crash at {0}, swap {1}")
    @MethodSource("crashPoints")
    void shouldLoseAndDuplicateNothingAfterACrashDuringASwap(SwapStep crashAt, int swap) throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        writeUpdates(log, T0, KEYS, ROUNDS);
        cleanOnce();
        writeUpdates(log, T0, KEYS, ROUNDS);
        List<Read> before = readAll(log);
        crashDuringSwap(log, crashAt, swap);
        PartitionLog recovered = open(COMPACTED, false, 0);

        List<Read> after = readAll(recovered);
        assertThat(after).extracting(Read::offset).isSorted().doesNotHaveDuplicates();
        assertThat(before).containsAll(after);
        assertThat(latestByKey(after)).isEqualTo(latestByKey(before));
        assertThat(recovered.logEndOffset()).isEqualTo(log.logEndOffset());
        boolean swapCompleted = crashAt.compareTo(SwapStep.SWAP) >= 0 || swap > 1;
        assertThat(after.size() < before.size()).isEqualTo(swapCompleted);
        for (Read read : after) {
            assertThat(Batches.offsets(recovered.read(read.offset(), 1 << 20, true))).contains(read.offset());
        }
        assertThat(leftovers()).isEmpty();
    }

    static Stream<Arguments> crashPointsAndRecoveries() {
        return crashPoints().flatMap(point -> Stream.of(true, false).map(flushed -> Arguments.of(point.get()[0], point.get()[1], flushed)));
    }

    /**
     * Aborted records stay hidden from read_committed readers after a crash at any step of a swap of
     * cleaned segments carrying a rebuilt {@code .txnindex}: the index is renamed, completed or
     * discarded with the rest of the segment's files. Flushed before the cleaning, the log reopens
     * from the log end, so the indexes are trusted as the swap left them; otherwise every segment
     * is recovered and its index rebuilt from the cleaned batches.
     */
    @ParameterizedTest(name = "crash at {0}, swap {1}, flushed {2}")
    @MethodSource("crashPointsAndRecoveries")
    void shouldKeepAbortedRecordsHiddenAfterACrashDuringASwap(SwapStep crashAt, int swap, boolean flushed) throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        // the first cleaning: every swapped segment keeps aborts whose batches it saw
        writeTransactions(log, 20);
        writeUpdates(log, T0, KEYS, 2);
        if (flushed) {
            log.flush();
        }
        List<Read> before = readCommitted(log);

        assertThat(crashDuringSwap(log, crashAt, swap)).isNotEmpty();
        PartitionLog recovered = open(COMPACTED, false, log.recoveryPoint());

        List<Read> after = readCommitted(recovered);
        assertThat(after).noneMatch(CompactionTestBase::isAborted);
        assertThat(before).containsAll(after);
        assertThat(latestByKey(after)).isEqualTo(latestByKey(before));
        assertThat(leftovers()).isEmpty();
    }

    /**
     * Runs a cleaning that crashes at {@code crashAt} of its {@code swap}th swap.
     *
     * @return the cleaned transaction index files ({@code .txnindex.cleaned} or {@code .txnindex.swap}) at the crash
     */
    private List<Path> crashDuringSwap(PartitionLog log, SwapStep crashAt, int swap) {
        AtomicInteger reached = new AtomicInteger();
        List<Path> txnIndexesInSwap = new ArrayList<>();
        log.observeSwaps(step -> {
            if (step == crashAt && reached.incrementAndGet() == swap) {
                txnIndexesInSwap.addAll(filesEndingWith(".txnindex" + SegmentFiles.CLEANED_SUFFIX, ".txnindex" + SegmentFiles.SWAP_SUFFIX));
                throw new SimulatedCrash();
            }
        });

        assertThatThrownBy(this::cleanOnce).isInstanceOf(SimulatedCrash.class);
        assertThat(reached).hasValue(swap);
        return txnIndexesInSwap;
    }

    private List<Path> leftovers() throws Exception {
        return filesEndingWith(SegmentFiles.CLEANED_SUFFIX, SegmentFiles.SWAP_SUFFIX, SegmentFiles.DELETED_SUFFIX);
    }

    private List<Path> filesEndingWith(String... suffixes) {
        try (Stream<Path> files = Files.list(partitionDir())) {
            return files.filter(file -> Stream.of(suffixes).anyMatch(suffix -> file.toString().endsWith(suffix))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
