package io.runnel.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Three replicating brokers of Runnel against three of Apache Kafka on this machine ({@code
 * bench/compare --cluster --replicated}; issue 11, point 6): every topic has 6 partitions, replication
 * factor 3 and {@code min.insync.replicas=2}, every producer is idempotent with {@code acks=all}. For
 * each round, Runnel then Kafka (A B A B), it starts three combined broker-controller nodes and
 * measures produce throughput and the brokers' CPU per GB, end-to-end latency at a fixed rate, and
 * failover after kill -9 of a partition leader. Writes a table, JSON and CSV files to {@code
 * bench/target/compare-replicated/<time>/}.
 */
@Command(name = "bench/compare --cluster --replicated", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare three replicating Runnel brokers with three Apache Kafka brokers on this machine: "
                + "throughput, CPU per GB, end-to-end latency, leader failover (RF 3, min.insync.replicas=2, acks=all).",
        footer = "bench/compare also takes --no-build: use the jars already built.")
public final class ReplicatedCompare implements Callable<Integer> {

    private static final Set<String> PHASES = Set.of("throughput", "latency", "failover");

    @Mixin
    private BrokerOptions brokers;

    @Option(names = "--quick", description = "1 round, shorter windows, 1 kill: about 4 minutes (default: 2 rounds, 10-15 minutes on 2 busy cores).")
    private boolean quick;

    @Option(names = "--rounds", description = "Rounds, each Runnel then Kafka (default: 2, or 1 with --quick).")
    private Integer rounds;

    @Option(names = "--phases", split = ",", defaultValue = "throughput,latency,failover",
            description = "Which phases run, in this order (default: ${DEFAULT-VALUE}).")
    private List<String> phases;

    @Option(names = "--systems", split = ",", defaultValue = "runnel,kafka",
            description = "Which systems run, each round in this order (default: ${DEFAULT-VALUE}); one alone gives no ratio.")
    private List<String> systems;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--record-size", defaultValue = "1024", description = "Bytes per record value (default: ${DEFAULT-VALUE}).")
    private int recordSize;

    @Option(names = "--producers", defaultValue = "2", description = "Producers of the throughput load (default: ${DEFAULT-VALUE}).")
    private int producers;

    @Option(names = "--warm-up", paramLabel = "s",
            description = "Unmeasured seconds of the throughput load: three JVMs compiling on 2 cores need most of it (default: 40, or 20 with --quick).")
    private Integer warmUpSeconds;

    @Option(names = "--throughput-seconds", paramLabel = "s", description = "Measured seconds of the throughput load (default: 15, or 10 with --quick).")
    private Integer throughputSeconds;

    @Option(names = "--latency-rate", defaultValue = "1000", paramLabel = "records/s",
            description = "Fixed rate of the latency load (default: ${DEFAULT-VALUE}).")
    private double latencyRate;

    @Option(names = "--latency-warm-up", paramLabel = "s", description = "Unmeasured seconds of the latency load (default: 5, or 3 with --quick).")
    private Integer latencyWarmUpSeconds;

    @Option(names = "--latency-seconds", paramLabel = "s", description = "Measured seconds of the latency load (default: 15, or 10 with --quick).")
    private Integer latencySeconds;

    @Option(names = "--kills", description = "Leader kills per round, each followed by a restart (default: 2, or 1 with --quick).")
    private Integer kills;

    @Option(names = "--probe-interval-ms", defaultValue = "10", paramLabel = "ms",
            description = "The failover probe sends one record to every partition this often (default: ${DEFAULT-VALUE}).")
    private long probeIntervalMs;

    @Option(names = "--failover-timeout", defaultValue = "45", paramLabel = "s",
            description = "A partition not acknowledged again within this long counts as not recovered (default: ${DEFAULT-VALUE}).")
    private long failoverTimeoutSeconds;

    @Option(names = "--settle-timeout", defaultValue = "30", paramLabel = "s",
            description = "Longest wait for all replicas in sync after creating a topic or restarting a node (default: ${DEFAULT-VALUE}).")
    private long settleTimeoutSeconds;

    @Option(names = "--setting", paramLabel = "key=value",
            description = "An extra broker setting, by Kafka's name, for every node of both systems (Runnel ignores names it does not know, with a warning). Repeatable.")
    private Map<String, String> extraSettings = new LinkedHashMap<>();

    @Option(names = "--work-dir", defaultValue = "bench/target/compare-replicated/work",
            description = "Where the nodes keep their data (default: ${DEFAULT-VALUE}).")
    private Path workDir;

    @Option(names = "--out", defaultValue = "bench/target/compare-replicated", description = "Where results go (default: ${DEFAULT-VALUE}).")
    private Path outDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplicatedCompare()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        for (String system : systems) {
            if (!system.equals(Broker.RUNNEL.id()) && !system.equals(Broker.KAFKA.id())) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown system " + system + "; the systems are runnel, kafka");
            }
        }
        for (String phase : phases) {
            if (!PHASES.contains(phase)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown phase " + phase + "; the phases are " + PHASES);
            }
        }
        PrintStream out = System.out;
        int roundCount = rounds != null ? rounds : quick ? 1 : 2;
        ReplicatedPlan plan = new ReplicatedPlan(partitions, producers, recordSize,
                Duration.ofSeconds(or(warmUpSeconds, 40, 20)), Duration.ofSeconds(or(throughputSeconds, 15, 10)),
                latencyRate, Duration.ofSeconds(or(latencyWarmUpSeconds, 5, 3)), Duration.ofSeconds(or(latencySeconds, 15, 10)),
                or(kills, 2, 1), Duration.ofMillis(probeIntervalMs), Duration.ofSeconds(failoverTimeoutSeconds),
                Duration.ofSeconds(settleTimeoutSeconds));
        Instant started = Instant.now();
        Path results = outDir.resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(started));
        Path logs = Files.createDirectories(results.resolve("logs"));
        String info = describe(started, roundCount, plan);
        out.print(info);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));

        Toolbox toolbox = brokers.toolbox();
        List<BrokerLauncher> all = brokers.launchers(toolbox, workDir, logs);
        List<BrokerLauncher> launchers = systems.stream()
                .flatMap(system -> all.stream().filter(l -> l.broker().id().equals(system))).toList();
        ProcFs procFs = ProcFs.open();
        Map<String, String> settings = new LinkedHashMap<>(BrokerSettings.replicated());
        settings.putAll(extraSettings);
        ReplicatedReport report = new ReplicatedReport();
        for (int round = 1; round <= roundCount; round++) {
            for (BrokerLauncher launcher : launchers) {
                Broker broker = launcher.broker();
                out.printf(Locale.ROOT, "Round %d of %d: %s, 3 nodes%n", round, roundCount, broker.title());
                String prefix = broker.id() + "-" + round;
                Path dir = workDir.toAbsolutePath().resolve(prefix);
                Session.deleteRecursively(dir);
                long turnStart = System.nanoTime();
                try (Cluster cluster = Cluster.start(launcher, dir, logs, prefix, settings)) {
                    out.printf(Locale.ROOT, "  ready %.0f ms after the last start (pids %s)%n", cluster.readyMillis(),
                            cluster.ids().stream().map(cluster::pid).toList());
                    ReplicatedRound turn = new ReplicatedRound(cluster, plan, "r-" + prefix, out, procFs);
                    for (String phase : phases) {
                        try {
                            switch (phase) {
                                case "throughput" -> turn.throughput();
                                case "latency" -> turn.latency();
                                default -> turn.failover();
                            }
                        } catch (IOException | RuntimeException e) {
                            out.println("  " + phase + " failed: " + e);
                            turn.notes().add(phase + " failed: " + e);
                        }
                    }
                    int r = round;
                    turn.figures().forEach((metric, value) -> report.add(broker, r, metric, value));
                    turn.failovers().forEach(sample -> report.addFailover(broker, r, sample));
                    turn.notes().forEach(text -> report.note(broker, r, text));
                    cluster.killAll(); // its data is deleted next: no need to wait for clean stops
                } catch (IOException e) {
                    out.println("  failed: " + e.getMessage());
                    report.note(broker, round, "cluster failed: " + e.getMessage());
                }
                out.printf(Locale.ROOT, "  (%s's turn took %.0f s)%n", broker.title(), (System.nanoTime() - turnStart) / 1e9);
                Session.deleteRecursively(dir);
            }
        }

        String table = report.table(roundCount);
        String notes = report.notesText();
        out.println();
        out.print(table);
        if (!notes.isEmpty()) {
            out.println();
            out.print(notes);
        }
        Files.writeString(results.resolve("results.md"), info + "\n" + table + (notes.isEmpty() ? "" : "\nNotes:\n\n" + notes),
                StandardCharsets.UTF_8);
        Files.writeString(results.resolve("results.json"), report.json(runJson(started, roundCount, plan)), StandardCharsets.UTF_8);
        Files.writeString(results.resolve("samples.csv"), report.samplesCsv(), StandardCharsets.UTF_8);
        Files.writeString(results.resolve("failovers.csv"), report.failoversCsv(), StandardCharsets.UTF_8);
        out.println();
        out.println("Results: " + results.toAbsolutePath() + " (results.md, results.json, samples.csv, failovers.csv, logs/)");
        return 0;
    }

    private int or(Integer value, int normal, int whenQuick) {
        return value != null ? value : quick ? whenQuick : normal;
    }

    private String describe(Instant started, int roundCount, ReplicatedPlan plan) {
        return String.format(Locale.ROOT, "Run of %s UTC: three replicating Runnel %s brokers vs three Apache Kafka %s brokers, "
                        + "%d round(s) A B A B.%n"
                        + "Every topic: %d partitions, replication factor 3, min.insync.replicas=2; producers idempotent, acks=all, "
                        + "%d-byte records. Throughput: %d producer(s), %d s warm-up, %d s measured. Latency: %.0f records/s, "
                        + "%d s warm-up, %d s measured. Failover: %d kill(s) of a leader per round, probe every %d ms per partition.%n"
                        + "Machine: %d cores, %s memory, Linux %s, Java %s. Every node: its own JVM, -Xmx%s -Xms%s and Kafka's "
                        + "G1 options, process.roles=broker,controller, all on 127.0.0.1 and one disk; clients in the harness's JVM.%n",
                started.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", ""),
                brokers.runnelVersion, brokers.kafkaVersion, roundCount, plan.partitions(), plan.recordSize(), plan.producers(),
                plan.warmUp().toSeconds(), plan.throughputWindow().toSeconds(), plan.latencyRate(), plan.latencyWarmUp().toSeconds(),
                plan.latencyWindow().toSeconds(), plan.kills(), plan.probeInterval().toMillis(),
                Runtime.getRuntime().availableProcessors(), RunInfo.memory(), RunInfo.kernel(), System.getProperty("java.version"),
                brokers.heap, brokers.heap)
                + (extraSettings.isEmpty() ? "" : "Extra settings on every node of both: " + extraSettings + "\n");
    }

    private Map<String, Object> runJson(Instant started, int roundCount, ReplicatedPlan plan) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("started", started.truncatedTo(ChronoUnit.SECONDS).toString());
        run.put("runnel_version", brokers.runnelVersion);
        run.put("kafka_version", brokers.kafkaVersion);
        run.put("rounds", roundCount);
        run.put("phases", phases);
        run.put("extra_settings", extraSettings);
        run.put("nodes", Cluster.NODES);
        run.put("partitions", plan.partitions());
        run.put("replication_factor", (int) ReplicatedPlan.REPLICATION_FACTOR);
        run.put("min_insync_replicas", ReplicatedPlan.MIN_INSYNC_REPLICAS);
        run.put("acks", "all");
        run.put("record_size", plan.recordSize());
        run.put("producers", plan.producers());
        run.put("warm_up_seconds", plan.warmUp().toSeconds());
        run.put("throughput_seconds", plan.throughputWindow().toSeconds());
        run.put("latency_rate", plan.latencyRate());
        run.put("latency_warm_up_seconds", plan.latencyWarmUp().toSeconds());
        run.put("latency_seconds", plan.latencyWindow().toSeconds());
        run.put("kills", plan.kills());
        run.put("probe_interval_ms", plan.probeInterval().toMillis());
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("heap", brokers.heap);
        run.put("java", System.getProperty("java.version"));
        return run;
    }
}
