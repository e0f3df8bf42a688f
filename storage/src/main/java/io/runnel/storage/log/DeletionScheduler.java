package io.runnel.storage.log;

/**
 * Runs file deletions later, so readers that already hold a segment's channel (a zero-copy send
 * in progress) can finish. Implementations must be callable from the log's writer thread.
 */
@FunctionalInterface
public interface DeletionScheduler {
    /** Runs {@code deletion} after {@code delayMs}; failures are the scheduler's to log. */
    void schedule(String description, ThrowingRunnable deletion, long delayMs);

    /** A deletion step that may fail with an I/O error. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
