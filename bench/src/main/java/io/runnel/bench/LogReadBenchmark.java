package io.runnel.bench;

import io.runnel.storage.log.FetchSlice;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fetch path below the network: find the segment, look the offset up in the sparse index, scan
 * batch headers to the wanted batch, and return a file range for zero-copy sending (no bytes copied).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogReadBenchmark {

    private static final int BATCHES = 100_000;
    private static final int RECORDS_PER_BATCH = 16;

    private BenchLog benchLog;
    private PartitionLog log;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void fill() throws IOException {
        benchLog = new BenchLog("read", LogConfig.defaults().withSegmentBytes(128L << 20));
        log = benchLog.log();
        ByteBuffer batch = RecordBatches.batch(RECORDS_PER_BATCH, 100);
        for (int i = 0; i < BATCHES; i++) {
            batch.putLong(0, 0L);
            log.appendAsLeader(batch.duplicate(), 0);
        }
    }

    @Benchmark
    public int readOneMegabyteAtRandomOffset() {
        long offset = random.nextLong(log.logEndOffset());
        FetchSlice slice = log.read(offset, 1 << 20, true);
        return slice.size();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        benchLog.close();
    }
}
