package io.runnel.it.support;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A steady stream of numbered records for a client under test: every {@code period}, the next
 * {@code perTick} record numbers are handed to an emitter (which sends them, or writes them to a
 * client's input), from a thread of its own, until {@link #stop()}. The stream does not wait for the
 * client: records pile up in the client while it fails over, as they would in an application.
 */
public final class SteadyStream implements AutoCloseable {

    /** Emits the records numbered {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    public interface Emitter {
        void emit(int from, int to) throws Exception;
    }

    private final ScheduledExecutorService executor;
    private final AtomicInteger emitted = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private SteadyStream(String name) {
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts emitting {@code perTick} records every {@code period}. */
    public static SteadyStream start(String name, int perTick, Duration period, Emitter emitter) {
        SteadyStream stream = new SteadyStream(name);
        stream.executor.scheduleAtFixedRate(() -> {
            if (stream.failure.get() != null) {
                return;
            }
            int from = stream.emitted.get();
            try {
                emitter.emit(from, from + perTick);
                stream.emitted.addAndGet(perTick);
            } catch (Exception e) {
                stream.failure.compareAndSet(null, e);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return stream;
    }

    /** How many records were emitted so far. */
    public int emitted() {
        return emitted.get();
    }

    /**
     * Stops the stream and returns how many records it emitted (0 to the result, exclusive).
     *
     * @throws IllegalStateException if the emitter failed
     */
    public int stop() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the stream's emitter did not finish within 30 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the stream's emitter failed after " + emitted.get() + " records", failure.get());
        }
        return emitted.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
