package io.runnel.bench;

import io.runnel.storage.log.AppendResult;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * The produce path below the network: validate a producer's batch (CRC, sizes), assign its offsets in
 * place, and write it to the active segment with its index entries. Page cache only (no fsync), as
 * Kafka's default. Retention keeps the disk use bounded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogAppendBenchmark {

    @Param({"1", "16", "256"})
    public int recordsPerBatch;

    @Param({"1024"})
    public int valueBytes;

    private BenchLog benchLog;
    private PartitionLog log;
    private ByteBuffer batch;

    @Setup(Level.Trial)
    public void open() throws IOException {
        benchLog = new BenchLog("append", LogConfig.defaults().withSegmentBytes(256L << 20).withRetentionBytes(512L << 20).withFileDeleteDelayMs(0));
        log = benchLog.log();
        batch = RecordBatches.batch(recordsPerBatch, valueBytes);
    }

    @Setup(Level.Iteration)
    public void trim() {
        log.deleteOldSegments();
    }

    @Benchmark
    public long append() {
        // The same buffer is reused. The append wrote the assigned base offset into its first 8 bytes;
        // a producer's request carries 0 there, so put that back (the field is outside the CRC).
        batch.putLong(0, 0L);
        AppendResult result = log.appendAsLeader(batch.duplicate(), 0);
        return result.lastOffset();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        benchLog.close();
    }
}
