package io.runnel.bench.compare;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the programs are and how their JVMs start: the Apache Kafka libraries (broker and tools), the
 * Runnel command line, and the JVM options. Both brokers get Kafka's own JVM options from
 * {@code kafka-run-class.sh} with the same heap, so the comparison is of the broker code, not of
 * the JVM settings; the load generators get the heap {@code kafka-producer-perf-test.sh} gives them.
 *
 * @param java the {@code java} executable (the one running this harness)
 * @param kafkaLibs the Kafka release's {@code libs} directory
 * @param runnelHome the Runnel checkout (built with {@code ./mvnw install})
 * @param brokerHeap the heap of both brokers, e.g. {@code 1G} (Kafka's default)
 */
record Toolbox(String java, Path kafkaLibs, Path runnelHome, String brokerHeap) {

    /** {@code KAFKA_JVM_PERFORMANCE_OPTS} of {@code kafka-run-class.sh}. */
    static final List<String> KAFKA_PERFORMANCE_OPTIONS = List.of("-server", "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true");

    private static final String LOAD_HEAP = "-Xmx512M";

    /** A broker JVM: {@code -Xmx -Xms} of the broker heap and Kafka's performance options. */
    List<String> brokerOptions(List<String> extra) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + brokerHeap, "-Xms" + brokerHeap));
        options.addAll(KAFKA_PERFORMANCE_OPTIONS);
        options.addAll(extra);
        return options;
    }

    /** A JVM running one of Kafka's classes (broker, storage tool, performance tools). */
    JavaCommand kafka(List<String> options, String mainClass, List<String> arguments) {
        return new JavaCommand(java, options, kafkaLibs + File.separator + "*", mainClass, arguments);
    }

    /** A load generator from Kafka's tools. */
    JavaCommand kafkaTool(String mainClass, List<String> arguments) {
        return kafka(loadOptions(), "org.apache.kafka.tools." + mainClass, arguments);
    }

    /** A JVM running the {@code runnel} command line with the given options. */
    JavaCommand runnel(List<String> options, List<String> arguments) throws IOException {
        return new JavaCommand(java, options, runnelClasspath(), "io.runnel.cli.Runnel", arguments);
    }

    /** A {@code runnel perf} load generator. */
    JavaCommand runnelPerf(List<String> arguments) throws IOException {
        List<String> perf = new ArrayList<>(List.of("perf"));
        perf.addAll(arguments);
        return runnel(loadOptions(), perf);
    }

    /**
     * A program of this harness (e.g. {@link TransactionalFill}) in a load generator's JVM, on the
     * harness's own class path ({@code bench/target/benchmarks.jar}).
     */
    JavaCommand harnessTool(String mainClass, List<String> arguments) {
        return new JavaCommand(java, loadOptions(), System.getProperty("java.class.path"), mainClass, arguments);
    }

    private static List<String> loadOptions() {
        List<String> options = new ArrayList<>(List.of(LOAD_HEAP));
        options.addAll(KAFKA_PERFORMANCE_OPTIONS);
        return options;
    }

    /** As {@code bin/runnel} builds it: the cli jar and {@code cli/target/lib/*}. */
    private String runnelClasspath() throws IOException {
        Path target = runnelHome.resolve("cli").resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            Path jar = files.filter(p -> p.getFileName().toString().matches("runnel-cli-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().matches(".*-(sources|tests)\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no runnel-cli jar in " + target + "; run ./mvnw -q install -DskipTests"));
            return jar + File.pathSeparator + target.resolve("lib") + File.separator + "*";
        }
    }
}
