package io.runnel.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Three-node clusters of Runnel and of Apache Kafka side by side on this machine ({@code bench/compare
 * --cluster}): for each round, Runnel then Kafka (A B A B), it starts three combined broker-controller
 * nodes at once, times how long until all three are registered and unfenced, times sequential
 * CreateTopics, and kills the active controller to time the failover. Writes a table and CSV files
 * to {@code bench/target/compare-cluster/<time>/}.
 */
@Command(name = "bench/compare --cluster", mixinStandardHelpOptions = true,
        description = "Compare three-node Runnel and Apache Kafka clusters on this machine: start, CreateTopics, failover.",
        footer = "bench/compare also takes --no-build: use the jars already built.")
public final class ClusterCompare implements Callable<Integer> {

    @Mixin
    private BrokerOptions brokers;

    /** The target: a three-node Runnel cluster ready within 5 s of the last process starting. */
    static final double READY_TARGET_MILLIS = 5000;

    @Option(names = "--quick", description = "1 round (default: 2).")
    private boolean quick;

    @Option(names = "--rounds", description = "Rounds (default: 2, or 1 with --quick).")
    private Integer rounds;

    @Option(names = "--topics", defaultValue = "200", description = "Measured CreateTopics per round (default: ${DEFAULT-VALUE}).")
    private int topics;

    @Option(names = "--warm-up-topics", defaultValue = "20", description = "Unmeasured CreateTopics first (default: ${DEFAULT-VALUE}).")
    private int warmUpTopics;

    @Option(names = "--no-failover", description = "Do not kill the active controller.")
    private boolean noFailover;

    @Option(names = "--work-dir", defaultValue = "bench/target/compare-cluster/work",
            description = "Where the nodes keep their data (default: ${DEFAULT-VALUE}).")
    private Path workDir;

    @Option(names = "--out", defaultValue = "bench/target/compare-cluster", description = "Where results go (default: ${DEFAULT-VALUE}).")
    private Path outDir;

    private record Sample(Broker broker, int round, ClusterMetric metric, double value) {
    }

    private record Failure(Broker broker, int round, String reason) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterCompare()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = System.out;
        int roundCount = rounds != null ? rounds : quick ? 1 : 2;
        Instant started = Instant.now();
        Path results = outDir.resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(started));
        Path logs = Files.createDirectories(results.resolve("logs"));
        String info = describe(started, roundCount);
        out.print(info);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));

        Toolbox toolbox = brokers.toolbox();
        List<BrokerLauncher> launchers = brokers.launchers(toolbox, workDir, logs);

        List<Sample> samples = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        try (PrintWriter latencies = writer(results.resolve("createtopics.csv"))) {
            latencies.println("broker,round,request,millis");
            for (int round = 1; round <= roundCount; round++) {
                for (BrokerLauncher launcher : launchers) {
                    Broker broker = launcher.broker();
                    out.printf(Locale.ROOT, "Round %d of %d: %s, 3 nodes%n", round, roundCount, broker.title());
                    String prefix = broker.id() + "-" + round;
                    Path dir = workDir.toAbsolutePath().resolve(prefix);
                    Session.deleteRecursively(dir);
                    ClusterRound measured = null;
                    try (Cluster cluster = Cluster.start(launcher, dir, logs, prefix)) {
                        out.printf(Locale.ROOT, "  ready %.0f ms after the last start (slowest node answered %.0f ms after its start)%n",
                                cluster.readyMillis(), cluster.slowestNodeMillis());
                        measured = new ClusterRound(cluster, "t-" + prefix, out);
                        measured.createTopics(warmUpTopics, topics);
                        if (!noFailover) {
                            measured.failover();
                        }
                    } catch (IOException e) {
                        out.println("  failed: " + e.getMessage());
                        failures.add(new Failure(broker, round, String.valueOf(e.getMessage())));
                    }
                    if (measured != null) {
                        int r = round;
                        measured.figures().forEach((metric, value) -> samples.add(new Sample(broker, r, metric, value)));
                        List<Double> millis = measured.createTopicsMillis();
                        for (int i = 0; i < millis.size(); i++) {
                            latencies.printf(Locale.ROOT, "%s,%d,%d,%.3f%n", broker.id(), round, i, millis.get(i));
                        }
                    }
                    Session.deleteRecursively(dir);
                }
            }
        }

        String table = table(samples, roundCount);
        out.println();
        out.print(table);
        Files.writeString(results.resolve("results.md"), info + "\n" + table + failures(failures), StandardCharsets.UTF_8);
        writeCsv(results, samples, failures);
        out.println();
        out.println("Results: " + results.toAbsolutePath() + " (results.md, summary.csv, samples.csv, createtopics.csv, logs/)");
        return 0;
    }

    private String describe(Instant started, int roundCount) {
        return String.format(Locale.ROOT, "Run of %s UTC: three-node Runnel %s vs Apache Kafka %s, %d round(s) A B A B, "
                        + "%d CreateTopics (after %d warm-up)%s.%n"
                        + "Machine: %d cores, %s memory, Linux %s, Java %s. Every node: its own JVM, -Xmx%s -Xms%s and Kafka's "
                        + "G1 options, process.roles=broker,controller, all on 127.0.0.1 and one disk.%n",
                started.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", ""),
                brokers.runnelVersion, brokers.kafkaVersion, roundCount, topics, warmUpTopics, noFailover ? "" : ", then kill -9 of the active controller",
                Runtime.getRuntime().availableProcessors(), RunInfo.memory(), RunInfo.kernel(), System.getProperty("java.version"),
                brokers.heap, brokers.heap);
    }

    private static String table(List<Sample> samples, int roundCount) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "Milliseconds, median [min–max] over %d round(s); lower is better.%n%n", roundCount));
        table.append("| figure | Runnel | Kafka | Runnel/Kafka | target |\n|---|---|---|---|---|\n");
        for (ClusterMetric metric : ClusterMetric.values()) {
            Optional<Spread> runnel = spread(samples, Broker.RUNNEL, metric);
            Optional<Spread> kafka = spread(samples, Broker.KAFKA, metric);
            if (runnel.isEmpty() && kafka.isEmpty()) {
                continue;
            }
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", metric.title(),
                    runnel.map(Spread::text).orElse("–"), kafka.map(Spread::text).orElse("–"),
                    ratio(runnel, kafka).map(r -> Spread.number(r) + "×").orElse("–"), target(metric, runnel)));
        }
        return table.toString();
    }

    private static String target(ClusterMetric metric, Optional<Spread> runnel) {
        if (metric == ClusterMetric.READY) {
            return "Runnel ≤ 5000 ms" + runnel.map(s -> s.max() <= READY_TARGET_MILLIS ? ": met" : ": not met").orElse("");
        }
        return metric == ClusterMetric.CREATE_TOPICS_P50 || metric == ClusterMetric.CREATE_TOPICS_P99 ? "reported" : "";
    }

    private static Optional<Spread> spread(List<Sample> samples, Broker broker, ClusterMetric metric) {
        return Spread.of(samples.stream().filter(s -> s.broker() == broker && s.metric() == metric).map(Sample::value).toList());
    }

    private static Optional<Double> ratio(Optional<Spread> runnel, Optional<Spread> kafka) {
        return runnel.isPresent() && kafka.isPresent() && kafka.get().median() > 0
                ? Optional.of(runnel.get().median() / kafka.get().median()) : Optional.empty();
    }

    private static String failures(List<Failure> failures) {
        StringBuilder text = new StringBuilder();
        for (Failure f : failures) {
            text.append(String.format(Locale.ROOT, "%nFailed: %s round %d: %s%n", f.broker().title(), f.round(), f.reason()));
        }
        return text.toString();
    }

    private static void writeCsv(Path dir, List<Sample> samples, List<Failure> failures) throws IOException {
        try (PrintWriter csv = writer(dir.resolve("samples.csv"))) {
            csv.println("broker,round,metric,millis");
            for (Sample s : samples) {
                csv.printf(Locale.ROOT, "%s,%d,%s,%.3f%n", s.broker().id(), s.round(), s.metric().name().toLowerCase(Locale.ROOT), s.value());
            }
        }
        try (PrintWriter csv = writer(dir.resolve("summary.csv"))) {
            csv.println("metric,title,runnel_median,runnel_min,runnel_max,kafka_median,kafka_min,kafka_max,ratio");
            for (ClusterMetric metric : ClusterMetric.values()) {
                Optional<Spread> runnel = spread(samples, Broker.RUNNEL, metric);
                Optional<Spread> kafka = spread(samples, Broker.KAFKA, metric);
                csv.printf(Locale.ROOT, "%s,\"%s\",%s,%s,%s%n", metric.name().toLowerCase(Locale.ROOT), metric.title(),
                        spreadCsv(runnel), spreadCsv(kafka), ratio(runnel, kafka).map(r -> String.format(Locale.ROOT, "%.4f", r)).orElse(""));
            }
        }
        try (PrintWriter csv = writer(dir.resolve("failures.csv"))) {
            csv.println("broker,round,reason");
            failures.forEach(f -> csv.printf(Locale.ROOT, "%s,%d,\"%s\"%n", f.broker().id(), f.round(), f.reason().replace("\"", "\"\"")));
        }
    }

    private static String spreadCsv(Optional<Spread> spread) {
        return spread.map(s -> String.format(Locale.ROOT, "%.3f,%.3f,%.3f", s.median(), s.min(), s.max())).orElse(",,");
    }

    private static PrintWriter writer(Path file) throws IOException {
        return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }
}
