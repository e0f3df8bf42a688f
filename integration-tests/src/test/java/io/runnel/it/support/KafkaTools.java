package io.runnel.it.support;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Apache Kafka's command-line tools, unchanged, run as their scripts run them: their main classes on
 * the classpath Maven fetched into {@code kafka-tools/target/libs}. The steps queued with
 * {@link #step} run one after the other in one child JVM ({@link ToolScript}), as each JVM start costs
 * seconds on a small CI machine; {@link #run} starts it and clears the queue, so one instance may run
 * several batches. The last batch's output stays in {@code target/kafka-tools-output/<name>.out} and
 * {@code .err} for a look after a failure. Not thread-safe.
 */
public final class KafkaTools {

    private static final long TIMEOUT_MINUTES = 4;

    private final Path workDir;
    private final String name;
    private final List<String[]> steps = new ArrayList<>();
    private final List<String> stdins = new ArrayList<>();

    /**
     * @param workDir where the step scripts go
     * @param name    names the script and the output files
     */
    public KafkaTools(Path workDir, String name) {
        this.workDir = workDir;
        this.name = name;
    }

    /** Queues a run of {@code mainClass} with {@code args} and empty stdin; returns its index in the batch. */
    public int step(String mainClass, String... args) {
        return stepWithInput("", mainClass, args);
    }

    /** Queues a run of {@code mainClass} with {@code args}, reading {@code stdin}; returns its index in the batch. */
    public int stepWithInput(String stdin, String mainClass, String... args) {
        String[] step = new String[args.length + 1];
        step[0] = mainClass;
        System.arraycopy(args, 0, step, 1, args.length);
        steps.add(step);
        stdins.add(stdin);
        return steps.size() - 1;
    }

    /** Runs the queued steps in one JVM and empties the queue; fails if the JVM does not end within minutes. */
    public Output run() throws IOException, InterruptedException, URISyntaxException {
        Path script = writeScript();
        Path libs = Path.of(System.getProperty("kafka.tools.libs", "../kafka-tools/target/libs"));
        Path ownClasses = Path.of(ToolScript.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path reports = Files.createDirectories(Path.of("target", "kafka-tools-output"));
        Path stdout = reports.resolve(name + ".out");
        Path stderr = reports.resolve(name + ".err");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", ownClasses + File.pathSeparator + libs.toAbsolutePath() + "/*", ToolScript.class.getName(), script.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("Kafka's tools did not finish in " + TIMEOUT_MINUTES + " minutes; output:\n"
                    + Files.readString(stdout) + "\nerrors:\n" + Files.readString(stderr));
        }
        Output output = new Output(List.copyOf(steps), Files.readAllLines(stdout), Files.readString(stderr));
        steps.clear();
        stdins.clear();
        return output;
    }

    private Path writeScript() throws IOException {
        Properties properties = new Properties();
        for (int i = 0; i < steps.size(); i++) {
            String[] step = steps.get(i);
            properties.setProperty("step." + i + ".main", step[0]);
            properties.setProperty("step." + i + ".args", String.join("\t", List.of(step).subList(1, step.length)));
            properties.setProperty("step." + i + ".stdin", stdins.get(i));
        }
        Path script = workDir.resolve(name + ".properties");
        try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
            properties.store(writer, name);
        }
        return script;
    }

    /** What a batch of steps printed: standard output split at each step's end marker, and standard error whole. */
    public static final class Output {

        private final List<String[]> steps;
        private final List<String> lines;
        private final String errors;

        private Output(List<String[]> steps, List<String> lines, String errors) {
            this.steps = steps;
            this.lines = lines;
            this.errors = errors;
        }

        /** The exit code of step {@code index}: of its first exit, as the tool's process would have ended there. */
        public int exitCode(int index) {
            String marker = marker(index);
            return Integer.parseInt(lines.get(markerLine(index)).substring(marker.length()));
        }

        /** The non-blank lines step {@code index} printed, stripped: after the previous step's marker, before its own. */
        public List<String> of(int index) {
            int start = index == 0 ? 0 : markerLine(index - 1) + 1;
            return lines.subList(start, markerLine(index)).stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
        }

        /** Fails unless every step exited 0; returns this. */
        public Output assertEveryStepSucceeded() {
            for (int i = 0; i < steps.size(); i++) {
                if (exitCode(i) != 0) {
                    throw new AssertionError("tool " + List.of(steps.get(i)) + " exited " + exitCode(i) + "; " + this);
                }
            }
            return this;
        }

        private int markerLine(int index) {
            String marker = marker(index);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(marker)) {
                    return i;
                }
            }
            throw new AssertionError("tool " + List.of(steps.get(index)) + " did not finish; " + this);
        }

        private static String marker(int index) {
            return ToolScript.MARKER + index + " exit ";
        }

        @Override
        public String toString() {
            return "output:\n" + String.join("\n", lines) + "\nerrors:\n" + errors;
        }
    }
}
