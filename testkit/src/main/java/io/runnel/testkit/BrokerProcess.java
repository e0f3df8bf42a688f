package io.runnel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Runnel broker in its own JVM ({@code io.runnel.cli.Runnel server}), for tests that stop it with
 * SIGTERM, kill it with SIGKILL or freeze it with SIGSTOP. {@link BrokerProcessCluster} runs several.
 *
 * <p>The child runs the current {@code java} with the current JVM's class path, listens on a free port of
 * localhost chosen here (its metrics endpoint on a free port, {@code metrics.port=0}), and keeps its data
 * in the given directory. {@link #start} returns once the broker
 * wrote its "started" line. Everything the process writes is appended to {@code <dataDir>.broker.log}
 * next to the data directory, and is included in the message of every {@link BrokerProcessException}.
 *
 * <pre>{@code
 * BrokerProcess broker = BrokerProcess.start(dataDir, Map.of());
 * ... produce to broker.bootstrapServers() ...
 * broker.kill();                                          // SIGKILL, no clean shutdown
 * try (BrokerProcess recovered = BrokerProcess.start(dataDir, Map.of())) { ... }
 * }</pre>
 */
public final class BrokerProcess implements AutoCloseable {

    /** The main class of the Runnel command line. */
    public static final String MAIN_CLASS = "io.runnel.cli.Runnel";

    private static final String STARTED_MARKER = "started";
    /** How the start-up line names the metrics endpoint: "metrics http://localhost:41234/metrics". */
    private static final Pattern METRICS_ADDRESS = Pattern.compile("metrics http://[^ ]*:(\\d+)/metrics");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** The child JVM's options when none are given. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m");
    private static final String LOGBACK_CONFIG = "io/runnel/testkit/broker-process-logback.xml";

    /** Live children, killed if the test JVM exits without stopping them, so no broker outlives its test run. */
    private static final java.util.Set<Process> CHILDREN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroyForcibly), "runnel-broker-process-reaper"));
    }

    private final Process process;
    private final ProcessOutput output;
    private final int port;
    private final Path logFile;
    private volatile boolean paused;

    private BrokerProcess(Process process, ProcessOutput output, int port, Path logFile) {
        this.process = process;
        this.output = output;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts a broker process and waits until it is ready (at most a minute).
     *
     * @param dataDir   the broker's {@code log.dirs}; created if missing
     * @param overrides broker configs (Kafka key names), passed as {@code --override key=value} after
     *                  the {@code listeners} (a free port) and {@code log.dirs} chosen here, so they can
     *                  replace them (then {@link #bootstrapServers()} no longer applies)
     * @return the running broker
     * @throws BrokerProcessException when the process exits before it is ready, or is not ready in time
     *                                (it is then killed); the exception carries the exit code and output
     */
    public static BrokerProcess start(Path dataDir, Map<String, String> overrides) {
        return launch(dataDir, FreePort.pick(), overrides, DEFAULT_JVM_OPTIONS).awaitStarted();
    }

    /**
     * Launches a broker process on a given port and returns at once, without waiting for it to be ready:
     * for nodes that must start together (a voter of a metadata quorum is ready only once a majority
     * runs) and for restarts on the same ports. Call {@link #awaitStarted()} next.
     *
     * @param dataDir    the broker's {@code log.dirs}; created if missing
     * @param port       the port of its {@code PLAINTEXT} listener on localhost, which {@link #bootstrapServers()} names
     * @param overrides  broker configs, passed as {@code --override key=value} after {@code listeners},
     *                   {@code log.dirs} and {@code metrics.port=0}, so they can replace them (a {@code listeners}
     *                   override should keep {@code PLAINTEXT://localhost:<port>} first)
     * @param jvmOptions options of the child JVM before its main class, e.g. {@code -Xmx256m}
     * @return the launched process
     */
    public static BrokerProcess launch(Path dataDir, int port, Map<String, String> overrides, List<String> jvmOptions) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(jvmOptions, "jvmOptions");
        Path absoluteDataDir = dataDir.toAbsolutePath();
        Path logFile = absoluteDataDir.resolveSibling(absoluteDataDir.getFileName() + ".broker.log");
        Process process = launch(command(absoluteDataDir, port, overrides, jvmOptions), logFile);
        return new BrokerProcess(process, ProcessOutput.drain(process.getInputStream(), logFile, STARTED_MARKER), port, logFile);
    }

    /** The {@code bootstrap.servers} value for clients of this broker. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /**
     * The port of the broker's HTTP metrics and health endpoint, as its start-up line names it; -1
     * when {@code metrics.port=-1} turned the endpoint off. A free port unless an override chose one.
     */
    public int metricsPort() {
        for (String line : output.lines()) {
            Matcher matcher = METRICS_ADDRESS.matcher(line);
            if (line.contains(STARTED_MARKER) && matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        return -1;
    }

    /** The operating-system process id of the broker. */
    public long pid() {
        return process.pid();
    }

    /** The file that receives the process's output. */
    public Path logFile() {
        return logFile;
    }

    /** Every line the process has written so far. */
    public List<String> output() {
        return output.lines();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the process with SIGKILL, as a crash or power loss would (no flush, no clean-shutdown marker),
     * and waits until it is gone. The operating system keeps what the process had written to its page
     * cache: a SIGKILL loses no written data, only a machine crash does.
     *
     * @return the exit code (137 on Linux)
     */
    public int kill() {
        process.destroyForcibly();
        paused = false;
        return awaitExit("did not die after SIGKILL");
    }

    /** Sends SIGTERM and returns at once: for stopping several brokers together; {@link #stop()} then waits. */
    public void terminate() {
        if (paused) {
            resume();
        }
        process.destroy();
    }

    /**
     * Asks the broker to shut down cleanly with SIGTERM (a controlled shutdown in a cluster: it hands its
     * leaderships over first) and waits (at most a minute) until it exits. Resumes a paused process first.
     *
     * @return the exit code; 0 for a clean shutdown
     * @throws BrokerProcessException when it does not exit in time (it is then killed)
     */
    public int stop() {
        terminate();
        return awaitExit("did not exit within " + STOP_TIMEOUT.toSeconds() + "s of SIGTERM");
    }

    /**
     * Freezes the process with SIGSTOP, as a long GC pause or a hung machine would: its sockets stay open
     * but nothing answers, and it sends no heartbeats. {@link #resume()} continues it.
     */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** Continues a process frozen by {@link #pause()} with SIGCONT. */
    public void resume() {
        signal("CONT");
        paused = false;
    }

    /** Whether {@link #pause()} froze the process and no {@link #resume()} followed. */
    public boolean isPaused() {
        return paused;
    }

    /** Stops the broker cleanly if it still runs; see {@link #stop()}. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (kill.waitFor() != 0) {
                throw new BrokerProcessException("kill -" + name + " " + process.pid() + " failed: " + output, null, this.output.lines());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerProcessException("Interrupted while sending SIG" + name, null, output.lines());
        }
    }

    private static List<String> command(Path dataDir, int port, Map<String, String> overrides, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-Dlogback.configurationFile=" + LOGBACK_CONFIG);
        command.add("-cp");
        command.add(TestClasspath.current());
        command.add(MAIN_CLASS);
        command.add("server");
        addOverride(command, "listeners", "PLAINTEXT://localhost:" + port);
        addOverride(command, "log.dirs", dataDir.toString());
        addOverride(command, "metrics.port", "0");
        overrides.forEach((key, value) -> addOverride(command, key, value));
        return command;
    }

    private static void addOverride(List<String> command, String key, String value) {
        command.add("--override");
        command.add(key + "=" + value);
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Process launch(List<String> command, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "--- " + String.join(" ", command) + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CHILDREN.add(process);
            process.onExit().thenRun(() -> CHILDREN.remove(process));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /**
     * Waits (at most a minute) until the broker wrote its "started" line: it serves requests and, in a
     * cluster, the controller has unfenced it.
     *
     * @return this process
     * @throws BrokerProcessException when the process exits before it is ready, or is not ready in time
     *                                (it is then killed); the exception carries the exit code and output
     */
    public BrokerProcess awaitStarted() {
        boolean started;
        try {
            started = output.markerSeen().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            awaitExitQuietly();
            throw new BrokerProcessException("Runnel broker process was not ready within " + START_TIMEOUT.toSeconds() + "s",
                    null, output.lines());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new BrokerProcessException("Interrupted while waiting for the Runnel broker process", null, output.lines());
        } catch (ExecutionException e) {
            started = false;
        }
        if (!started) {
            int exitCode = awaitExit("closed its output but did not exit");
            throw new BrokerProcessException("Runnel broker process exited before it was ready", exitCode, output.lines());
        }
        return this;
    }

    private int awaitExit(String failure) {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                awaitExitQuietly();
                throw new BrokerProcessException("Runnel broker process " + failure, null, output.lines());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new BrokerProcessException("Interrupted while waiting for the Runnel broker process to exit", null, output.lines());
        }
        output.awaitEnd(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    private void awaitExitQuietly() {
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "BrokerProcess[pid " + process.pid() + ", " + bootstrapServers() + (process.isAlive() ? "" : ", exited") + "]";
    }
}
