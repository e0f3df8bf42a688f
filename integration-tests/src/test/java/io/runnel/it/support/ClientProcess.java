package io.runnel.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A client program the test runs (kcat, node): its standard output and error are read as they come, each
 * line stamped with {@link System#nanoTime()} on arrival (so a test can tell when a client stalled), and its
 * standard input stays open for the test to feed. Stopped only through its own {@link Process} handle.
 */
public final class ClientProcess implements AutoCloseable {

    /** A line a client wrote, and when the test read it ({@link System#nanoTime()}). */
    public record Line(long nanos, String text) {
    }

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final List<Line> stdout = new ArrayList<>();
    private final List<Line> stderr = new ArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ClientProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stdoutReader = drain(process.getInputStream(), stdout, name + "-stdout");
        this.stderrReader = drain(process.getErrorStream(), stderr, name + "-stderr");
    }

    /** Starts {@code command} with extra environment variables. */
    public static ClientProcess start(String name, List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            return new ClientProcess(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /** Writes lines to the client's standard input and flushes them. */
    public synchronized void write(List<String> lines) {
        try {
            for (String line : lines) {
                stdin.write(line);
                stdin.write('\n');
            }
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " does not take input any more (exited " + exitState() + ")", e);
        }
    }

    /** Closes the client's standard input: end of input for a producer that reads it. */
    public synchronized void closeInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asks the client to stop (SIGTERM to its own process). */
    public void terminate() {
        process.destroy();
    }

    /** Kills the client abruptly (SIGKILL to its own process): no shutdown hook, no last commit. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for the client to exit and for its output to be read; returns the exit code, or null if it is still running. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        stdoutReader.join(10_000);
        stderrReader.join(10_000);
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The lines written to standard output so far. */
    public List<Line> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** The lines written to standard error so far. */
    public List<Line> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** How many lines of standard output match. */
    public long countStdout(Predicate<String> filter) {
        synchronized (stdout) {
            return stdout.stream().filter(line -> filter.test(line.text())).count();
        }
    }

    /** The last {@code count} lines of both streams, for assertion messages. */
    public String tail(int count) {
        List<String> lines = new ArrayList<>();
        List<Line> out = stdout();
        List<Line> err = stderr();
        out.subList(Math.max(0, out.size() - count), out.size()).forEach(line -> lines.add("out: " + line.text()));
        err.subList(Math.max(0, err.size() - count), err.size()).forEach(line -> lines.add("err: " + line.text()));
        return name + " (" + exitState() + "):\n" + String.join("\n", lines);
    }

    private String exitState() {
        return process.isAlive() ? "running" : "exit code " + process.exitValue();
    }

    /** Stops the client if it still runs (SIGKILL after SIGTERM is ignored for 10 s). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Thread drain(InputStream stream, List<Line> into, String threadName) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    Line stamped = new Line(System.nanoTime(), line);
                    synchronized (into) {
                        into.add(stamped);
                    }
                }
            } catch (IOException e) {
                // the process is gone; what was read is kept
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
