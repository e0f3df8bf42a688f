package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.runnel.storage.segment.SegmentWriter;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

class FlushConcurrencyTest extends LogTestBase {

    /** Holds the first fsync until another append has written its bytes (or gives up after a while). */
    private static final class FsyncHoldingWriter implements SegmentWriter {
        final CountDownLatch secondWrite = new CountDownLatch(1);
        final AtomicBoolean holding = new AtomicBoolean(true);
        volatile boolean otherAppendWroteDuringFsync;
        volatile int writes;

        @Override
        public int append(FileRecords file, MemoryRecords records) throws IOException {
            int written = SegmentWriter.DIRECT.append(file, records);
            if (++writes == 2) {
                secondWrite.countDown();
            }
            return written;
        }

        @Override
        public void flush(FileRecords file) throws IOException {
            if (holding.getAndSet(false)) {
                try {
                    otherAppendWroteDuringFsync = secondWrite.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            file.flush();
        }
    }

    @Test
    void shouldLetOtherAppendsWriteWhileFlushMessagesFsyncRuns() throws Exception {
        FsyncHoldingWriter writer = new FsyncHoldingWriter();
        PartitionLog log = open(LogConfig.defaults().withFlushIntervalMessages(1), true, 0, writer);
        ExecutorService appenders = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<AppendResult> first = CompletableFuture.supplyAsync(
                    () -> log.appendAsLeader(Batches.plain(T0, "a"), 0), appenders);
            CompletableFuture<AppendResult> second = CompletableFuture.supplyAsync(
                    () -> log.appendAsLeader(Batches.plain(T0, "b"), 0), appenders);

            assertThat(List.of(first.get(10, TimeUnit.SECONDS).firstOffset(),
                    second.get(10, TimeUnit.SECONDS).firstOffset()))
                    .containsExactlyInAnyOrder(0L, 1L);
        } finally {
            appenders.shutdownNow();
        }
        assertThat(writer.otherAppendWroteDuringFsync).isTrue();
        assertThat(log.recoveryPoint()).isEqualTo(2);
    }
}
