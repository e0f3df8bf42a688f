package io.runnel.coordinator.runtime;

/**
 * Time and timers for the coordinator's state machines. Tasks run on the coordinator thread, the
 * same thread that calls the state machines, so a task may touch the state machines' state without locks.
 * Production uses the coordinator's event loop; tests use a manual scheduler that fires tasks
 * when time is advanced.
 */
public interface Scheduler {

    /** The current time in milliseconds since the epoch. */
    long nowMs();

    /** Runs {@code task} after {@code delayMs}, replacing any task still pending under {@code key}. */
    void schedule(String key, long delayMs, Runnable task);

    /** Cancels the task pending under {@code key}, if any. */
    void cancel(String key);

    /** Whether a task is pending under {@code key}. */
    boolean isScheduled(String key);
}
