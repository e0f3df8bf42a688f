package io.runnel.storage.log;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeletionScheduler} on the log manager's maintenance executor. Pending deletions can be
 * run at once on shutdown ({@link #runPendingNow()}): nothing reads the files any more then.
 * Thread-safe; each deletion runs exactly once.
 */
final class ScheduledDeletions implements DeletionScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledDeletions.class);

    private final ScheduledExecutorService executor;
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();

    ScheduledDeletions(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    private final class Pending implements Runnable {
        private final String description;
        private final ThrowingRunnable deletion;
        private final AtomicBoolean started = new AtomicBoolean();

        Pending(String description, ThrowingRunnable deletion) {
            this.description = description;
            this.deletion = deletion;
        }

        @Override
        public void run() {
            if (!started.compareAndSet(false, true)) {
                return;
            }
            try {
                deletion.run();
                LOG.debug("Deleted {}", description);
            } catch (Exception e) {
                LOG.error("Failed to delete {}", description, e);
            } finally {
                pending.remove(this);
            }
        }
    }

    @Override
    public void schedule(String description, ThrowingRunnable deletion, long delayMs) {
        Pending task = new Pending(description, deletion);
        pending.add(task);
        try {
            executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Runs every deletion that has not run yet, on the calling thread. */
    void runPendingNow() {
        for (Pending task : Set.copyOf(pending)) {
            task.run();
        }
    }
}
