package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.runnel.storage.segment.SegmentWriter;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

class FlushFailureTest extends LogTestBase {
    private static final long DAY = 86_400_000L;

    /**
     * Appends like {@link FailingSegmentWriter}; the first fsync, if asked to, waits for {@link #release};
     * an fsync can be made to fail with an I/O error.
     */
    private static final class ControlledWriter implements SegmentWriter {
        final FailingSegmentWriter appends = new FailingSegmentWriter();
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean holdNextFlush;
        volatile boolean failNextFlush;

        @Override
        public int append(FileRecords file, MemoryRecords records) throws IOException {
            return appends.append(file, records);
        }

        @Override
        public void flush(FileRecords file) throws IOException {
            if (holdNextFlush) {
                holdNextFlush = false;
                holding.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failNextFlush) {
                failNextFlush = false;
                throw new IOException("Input/output error");
            }
            file.flush();
        }
    }

    /** Runs {@code task} in a new thread, keeping what it throws. */
    private static final class Task {
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Task(String name, Runnable task) {
            thread = new Thread(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, name);
            thread.start();
        }

        Throwable join() throws InterruptedException {
            thread.join(10_000);
            assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
            return failure.get();
        }
    }

    /** Waits until {@code waiter} has finished or blocks on a monitor held by {@code owner} (the flush lock). */
    private static void awaitFinishedOrBlockedBy(Thread waiter, Thread owner) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiter.isAlive()) {
            ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(waiter.getId());
            if (info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockOwnerId() == owner.getId()) {
                return;
            }
            assertThat(System.nanoTime()).as("%s blocks on the flush lock", waiter.getName()).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void offlineCloseShouldWaitForInFlightFlushAndNotAdvanceRecoveryPointPastUnflushedData() throws Exception {
        ControlledWriter writer = new ControlledWriter();
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(300), true, 0, writer);
        log.appendAsLeader(Batches.plain(T0, "a".repeat(150)), 0);
        log.appendAsLeader(Batches.plain(T0, "b".repeat(150)), 0);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.recoveryPoint()).isZero();
        writer.holdNextFlush = true;
        Task flusher = new Task("flusher", log::flush);
        assertThat(writer.holding.await(10, TimeUnit.SECONDS)).isTrue();
        writer.appends.failNextAppendAndBreakFile(10);
        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "c"), 0))
                .isInstanceOf(KafkaStorageException.class);
        assertThat(log.isOffline()).isTrue();
        assertThat(log.segmentCount()).isEqualTo(2);

        Task closer = new Task("closer", log::close);
        awaitFinishedOrBlockedBy(closer.thread, flusher.thread);
        writer.release.countDown();

        // the active segment (offset 1) was never fsynced: the failed write closed its channel
        assertThat(flusher.join()).isInstanceOf(KafkaStorageException.class);
        assertThat(closer.join()).isNull();
        assertThat(log.recoveryPoint()).isLessThanOrEqualTo(1);
    }

    @Test
    void flushMessagesShouldNotFailAppendWhenRetentionDeletedEverythingBelowIt() throws Exception {
        ControlledWriter writer = new ControlledWriter();
        long old = T0 - 8 * DAY;
        LogConfig config = LogConfig.defaults().withFlushIntervalMessages(3);
        PartitionLog log = open(config, true, 0, writer);
        log.appendAsLeader(Batches.plain(old, "x"), 0);
        log.appendAsLeader(Batches.plain(old, "y"), 0);
        writer.holdNextFlush = true;
        Task flusher = new Task("flusher", log::flush);
        assertThat(writer.holding.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<AppendResult> appended = new AtomicReference<>();
        // its flush.messages flush (up to offset 3) waits behind the held flush
        Task appender = new Task("appender", () -> appended.set(log.appendAsLeader(Batches.plain(old, "a"), 0)));
        awaitFinishedOrBlockedBy(appender.thread, flusher.thread);
        log.updateConfig(config.withFlushIntervalMessages(Long.MAX_VALUE));
        log.appendAsLeader(Batches.plain(old, "b"), 0);
        assertThat(log.deleteOldSegments()).isEqualTo(1);

        writer.release.countDown();
        assertThat(flusher.join()).isNull();

        assertThat(appender.join()).isNull();
        assertThat(appended.get().firstOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(log.recoveryPoint()).isEqualTo(3);
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(4);
    }

    @Test
    void failedFsyncShouldTakeLogOffline() throws Exception {
        ControlledWriter writer = new ControlledWriter();
        PartitionLog log = open(LogConfig.defaults(), true, 0, writer);
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        writer.failNextFlush = true;

        assertThatThrownBy(log::flush).isInstanceOf(KafkaStorageException.class);

        assertThat(log.isOffline()).isTrue();
        assertThat(log.recoveryPoint()).isZero();
        // a retried fsync could "succeed" after the kernel dropped the dirty pages: it must not count
        assertThatThrownBy(log::flush).isInstanceOf(KafkaStorageException.class);
        assertThat(log.recoveryPoint()).isZero();
        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "b"), 0))
                .isInstanceOf(KafkaStorageException.class);
        assertThatThrownBy(() -> log.read(0, Integer.MAX_VALUE, false)).isInstanceOf(KafkaStorageException.class);
        log.close();

        PartitionLog recovered = open(LogConfig.defaults(), false, 0);
        assertThat(Batches.values(recovered.read(0, Integer.MAX_VALUE, false))).containsExactly("a");
    }

    @Test
    void failedFsyncOfFlushMessagesShouldFailTheAppendAndTakeLogOffline() throws Exception {
        ControlledWriter writer = new ControlledWriter();
        PartitionLog log = open(LogConfig.defaults().withFlushIntervalMessages(1), true, 0, writer);
        writer.failNextFlush = true;

        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "a"), 0))
                .isInstanceOf(KafkaStorageException.class);

        assertThat(log.isOffline()).isTrue();
        assertThat(log.recoveryPoint()).isZero();
    }

    @Test
    void failedFsyncOnCloseShouldLeaveLogOfflineAndNotClean() throws Exception {
        ControlledWriter writer = new ControlledWriter();
        PartitionLog log = open(LogConfig.defaults(), true, 0, writer);
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        writer.failNextFlush = true;

        log.close();

        assertThat(log.isOffline()).isTrue();
        assertThat(log.recoveryPoint()).isZero();
        assertThat(partitionDir().resolve("00000000000000000001.snapshot")).doesNotExist();
    }
}
