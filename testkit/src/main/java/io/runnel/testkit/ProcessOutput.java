package io.runnel.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drains a child process's merged stdout/stderr on a daemon thread: every line goes to a log file and
 * into memory, and the first line containing a marker completes {@link #markerSeen()}. Draining also
 * keeps the child from blocking on a full pipe.
 */
final class ProcessOutput {

    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<Boolean> markerSeen = new CompletableFuture<>();
    private final Thread drainer;

    private ProcessOutput(InputStream stream, Path logFile, String marker) {
        this.drainer = new Thread(() -> copyLines(stream, logFile, marker), "runnel-broker-process-output");
        this.drainer.setDaemon(true);
    }

    /** Starts draining {@code stream}, appending to {@code logFile}. */
    static ProcessOutput drain(InputStream stream, Path logFile, String marker) {
        ProcessOutput output = new ProcessOutput(stream, logFile, marker);
        output.drainer.start();
        return output;
    }

    /**
     * Completes with {@code true} at the first line containing the marker, or with {@code false} when
     * the output ends without one (the process exited).
     */
    CompletableFuture<Boolean> markerSeen() {
        return markerSeen;
    }

    /** Every line read so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits (bounded) until the whole output has been read, i.e. the process closed it. */
    void awaitEnd(long timeout, TimeUnit unit) {
        try {
            drainer.join(unit.toMillis(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void copyLines(InputStream stream, Path logFile, String marker) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
             Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    lines.add(line);
                }
                log.write(line);
                log.write(System.lineSeparator());
                log.flush();
                if (line.contains(marker)) {
                    markerSeen.complete(true);
                }
            }
        } catch (IOException e) {
            markerSeen.completeExceptionally(new UncheckedIOException(e));
        } finally {
            markerSeen.complete(false);
        }
    }
}
