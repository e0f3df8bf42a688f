package io.runnel.bench;

import io.runnel.storage.index.OffsetIndex;
import io.runnel.storage.index.OffsetPosition;
import io.runnel.storage.index.TimeIndex;
import io.runnel.storage.index.TimestampOffset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sparse index lookups, the first step of every fetch and of ListOffsets by timestamp: a binary search
 * of a memory-mapped {@code .index} (offset to file position) or {@code .timeindex} (timestamp to
 * offset) under the index's read lock. {@code entries} is the number of index entries: 1,000 is a
 * 4 MB segment at the default {@code index.interval.bytes}; 262,144 is a full 1 GiB segment.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IndexLookupBenchmark {

    private static final long BASE_OFFSET = 1_000_000L;
    private static final long FIRST_TIMESTAMP = 1_700_000_000_000L;
    private static final int RECORDS_PER_ENTRY = 4;
    private static final int BYTES_PER_ENTRY = 4096;

    @Param({"1000", "262144"})
    public int entries;

    private final SplittableRandom random = new SplittableRandom(42);
    private Path dir;
    private OffsetIndex offsetIndex;
    private TimeIndex timeIndex;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("runnel-bench-index");
        int maxIndexSize = 10 << 20;
        offsetIndex = new OffsetIndex(dir.resolve("0.index"), BASE_OFFSET, maxIndexSize);
        timeIndex = new TimeIndex(dir.resolve("0.timeindex"), BASE_OFFSET, maxIndexSize);
        for (int i = 0; i < entries; i++) {
            offsetIndex.append(BASE_OFFSET + (long) i * RECORDS_PER_ENTRY, i * BYTES_PER_ENTRY);
            timeIndex.maybeAppend(FIRST_TIMESTAMP + i, BASE_OFFSET + (long) i * RECORDS_PER_ENTRY, false);
        }
    }

    @Benchmark
    public OffsetPosition offsetLookup() {
        return offsetIndex.lookup(BASE_OFFSET + random.nextLong((long) entries * RECORDS_PER_ENTRY));
    }

    @Benchmark
    public TimestampOffset timeLookup() {
        return timeIndex.lookup(FIRST_TIMESTAMP + random.nextLong(entries));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        Files.deleteIfExists(dir);
    }
}
