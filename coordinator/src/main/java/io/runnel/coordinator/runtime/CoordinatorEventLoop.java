package io.runnel.coordinator.runtime;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator thread: one thread runs every request and every timer of a coordinator's state
 * machines (groups, or transactions), in submission order, so they need no locks. A task that throws is logged and the loop
 * goes on. {@link #call} and {@link #execute} may be called from any thread; the {@link Scheduler}
 * methods only from tasks on the loop itself.
 */
public final class CoordinatorEventLoop implements Scheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorEventLoop.class);

    private final Clock clock;
    private final String threadName;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();

    /** A loop on a new thread named {@code threadName}, telling time by {@code clock}. */
    public CoordinatorEventLoop(Clock clock, String threadName) {
        this.clock = clock;
        this.threadName = threadName;
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        };
        this.executor = new ScheduledThreadPoolExecutor(1, factory);
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code operation} on the loop; the future completes with its result or failure. */
    public <T> CompletableFuture<T> call(Supplier<T> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(operation.get());
                } catch (Throwable e) {
                    // Even an Error must answer the request: the client's connection waits on it.
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException(threadName + " is shut down", e));
        }
        return result;
    }

    /** Runs {@code task} on the loop; dropped (and logged) once the loop is closed. */
    public void execute(Runnable task) {
        try {
            executor.execute(guarded("task", task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("{} is closed; dropping a task", threadName);
        }
    }

    @Override
    public long nowMs() {
        return clock.millis();
    }

    @Override
    public void schedule(String key, long delayMs, Runnable task) {
        cancel(key);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = executor.schedule(() -> {
            if (timers.get(key) == self[0]) {
                timers.remove(key);
                guarded(key, task).run();
            }
        }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        timers.put(key, self[0]);
    }

    @Override
    public void cancel(String key) {
        ScheduledFuture<?> pending = timers.remove(key);
        if (pending != null) {
            pending.cancel(false);
        }
    }

    @Override
    public boolean isScheduled(String key) {
        return timers.containsKey(key);
    }

    private Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("{}: {} failed", threadName, name, e);
            }
        };
    }

    /** Stops the loop: {@code lastTask} runs after everything queued, then the loop ends. */
    public void close(Runnable lastTask) {
        execute(lastTask);
        close();
    }

    /** Stops the loop once the tasks already queued have run; timers still pending are dropped. */
    @Override
    public void close() {
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
