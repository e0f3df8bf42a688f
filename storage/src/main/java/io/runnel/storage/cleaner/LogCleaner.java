package io.runnel.storage.cleaner;

import java.io.Closeable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background log cleaner: {@code log.cleaner.threads} daemon threads ({@code runnel-log-cleaner-N}),
 * each a duty cycle that cleans the dirtiest due compacted log ({@link #cleanDirtiestLog}) and sleeps
 * {@code log.cleaner.backoff.ms} when none is due. Cleaning never blocks appends or reads (see
 * {@link Cleaner}). A log whose cleaning fails unexpectedly is skipped until restart; the threads
 * go on with the others, and a failed cycle is retried after the backoff.
 *
 * <p>Threading: start and close from one thread; {@link #cleanDirtiestLog} may be called by tests
 * on a cleaner that was not started.
 */
public final class LogCleaner implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    private final CleanerConfig config;
    private final LogManager logManager;
    private final Clock clock;
    private final CleanerManager manager;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final ThreadLocal<Cleaner> cleaners;

    /** A cleaner of the compacted logs of {@code logManager}; no thread runs until {@link #start()}. */
    public LogCleaner(CleanerConfig config, LogManager logManager, Clock clock) {
        this.config = config;
        this.logManager = logManager;
        this.clock = clock;
        this.manager = new CleanerManager(logManager);
        // allocated on a thread's first cleaning: a broker without a dirty compacted log never pays for the buffers
        this.cleaners = ThreadLocal.withInitial(() -> new Cleaner(new OffsetMap(config.dedupeBufferPerThread()),
                config.dedupeLoadFactor(), config.ioBufferPerThread(), () -> stopping.getCount() == 0));
    }

    /** Starts the cleaner threads, unless {@code log.cleaner.enable} is false. */
    public void start() {
        if (!config.enabled()) {
            LOG.info("The log cleaner is disabled: compacted topics are not cleaned");
            return;
        }
        for (int i = 0; i < config.threads(); i++) {
            Thread thread = new Thread(this::run, "runnel-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run() {
        while (stopping.getCount() > 0) {
            boolean idle;
            try {
                idle = cleanDirtiestLog() == 0;
            } catch (Exception e) {
                // a failed cycle must not end the thread: the next one may well succeed
                LOG.error("Log cleaner cycle failed; retrying after {} ms", config.backoffMs(), e);
                idle = true;
            }
            if (idle) {
                try {
                    stopping.await(config.backoffMs(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * One duty cycle: cleans the dirtiest due compacted log, if any, on the calling thread.
     *
     * @return the number of logs cleaned (or attempted): 0 or 1
     */
    public int cleanDirtiestLog() {
        Optional<LogToClean> grabbed = manager.grabFilthiestLog(clock.millis());
        if (grabbed.isEmpty()) {
            return 0;
        }
        LogToClean cleanable = grabbed.get();
        PartitionLog log = cleanable.log();
        Optional<Long> endOffset = Optional.empty();
        try {
            long start = System.nanoTime();
            endOffset = Optional.of(cleaners.get().clean(cleanable, clock.millis()));
            LOG.info("Cleaned {}: dirty offsets [{}, {}), {} of {} bytes, in {} ms; the log now holds {} bytes",
                    log.topicPartition(), cleanable.firstDirtyOffset(), endOffset.get(), cleanable.cleanableBytes(),
                    cleanable.totalBytes(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), log.sizeInBytes());
        } catch (CleaningAbortedException e) {
            LOG.debug("Cleaning of {} aborted: {}", log.topicPartition(), e.getMessage());
        } catch (Exception e) {
            if (logManager.log(log.topicPartition()).orElse(null) != log || log.isOffline()) {
                LOG.debug("Cleaning of {} stopped: the log was closed or deleted ({})", log.topicPartition(), e.toString());
            } else {
                LOG.warn("Cleaning of {} failed; it will not be cleaned again until restart", log.topicPartition(), e);
                manager.markUncleanable(log);
            }
        } finally {
            manager.doneCleaning(cleanable, endOffset);
        }
        return 1;
    }

    /** Stops the threads, aborting a cleaning in progress (its files are left for the next load to delete). */
    @Override
    public void close() {
        stopping.countDown();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
