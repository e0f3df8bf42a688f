package io.runnel.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The side-by-side comparison of Runnel with Apache Kafka on this machine. Run it through
 * {@code bench/compare}, which builds Runnel and fetches Kafka first. It measures the machine's ceilings,
 * then for each round starts Runnel, runs every scenario, stops it, and does the same with Kafka
 * (A B A B ...), and finally writes the table, CSV and chart to a results directory.
 */
@Command(name = "bench/compare", mixinStandardHelpOptions = true,
        description = "Compare Runnel with Apache Kafka on this machine, side by side.",
        footer = "bench/compare also takes --no-build: use the jars already built.")
public final class Compare implements Callable<Integer> {

    @Mixin
    private BrokerOptions brokers;

    @Option(names = "--quick", description = "A smoke run of a few minutes: 1 round, small loads.")
    private boolean quick;

    @Option(names = "--rounds", description = "Rounds (default: 3, or 1 with --quick).")
    private Integer rounds;

    @Option(names = "--records", description = "Records per produce and consume load (default: 400000, or 30000 with --quick).")
    private Long records;

    @Option(names = "--warm-up-records", description = "Records of each unmeasured warm-up load after a broker starts "
            + "(default: 100000, or 10000 with --quick). Methods called once per request reach the C2 compiler only after "
            + "thousands of requests: about 1,000 produce requests move 100,000 records.")
    private Long warmupRecords;

    @Option(names = "--latency-records", description = "Records of the fixed-rate latency load (default: 40000, or 3000 with --quick).")
    private Long latencyRecords;

    @Option(names = "--load-timeout-minutes", description = "The longest one load may run before it counts as failed "
            + "(default: 3, or 1 with --quick). Loads over TLS on a busy machine may need more.")
    private Integer loadTimeoutMinutes;

    @Option(names = "--only", paramLabel = "regex", description = "Run only the scenarios whose id matches, e.g. 'pp-p6|e2e'.")
    private Pattern only;

    @Option(names = "--work-dir", defaultValue = "bench/target/compare/work",
            description = "Where the brokers keep their data (default: ${DEFAULT-VALUE}).")
    private Path workDir;

    @Option(names = "--out", defaultValue = "bench/target/compare", description = "Where results go (default: ${DEFAULT-VALUE}).")
    private Path outDir;

    @Option(names = "--skip-ceilings", description = "Do not measure loopback and disk ceilings.")
    private boolean skipCeilings;

    /** Runs the comparison and exits 0 (failed loads are reported in the table, not by the exit code). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Compare()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = System.out;
        Plan plan = quick ? Plan.quick() : Plan.full();
        if (rounds != null) {
            plan = plan.withRounds(rounds);
        }
        if (records != null) {
            plan = plan.withRecords(records);
        }
        if (warmupRecords != null) {
            plan = plan.withWarmupRecords(warmupRecords);
        }
        if (latencyRecords != null) {
            plan = plan.withLatencyRecords(latencyRecords);
        }
        if (loadTimeoutMinutes != null) {
            plan = plan.withLoadTimeout(Duration.ofMinutes(loadTimeoutMinutes));
        }
        Instant started = Instant.now();
        Path results = outDir.resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(started));
        Path logs = Files.createDirectories(results.resolve("logs"));
        ListenerSecurity security = new ListenerSecurity(results.resolve("tls"));
        List<Scenario> scenarios = Scenarios.of(plan, security).stream()
                .filter(s -> only == null || only.matcher(s.id()).find()).toList();
        if (Scenarios.anySecured(scenarios)) {
            out.println("Making a CA and the broker's certificate for the SSL and SASL_SSL scenarios...");
            security.prepare();
        }
        RunInfo info = new RunInfo(started, brokers.runnelVersion, brokers.kafkaVersion, plan, brokers.heap);
        out.print(info.describe());

        // Interrupted (Ctrl-C, kill): stop the broker and the load this run started, not only the harness.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));

        List<Ceiling> ceilings = skipCeilings ? List.of() : ceilings(plan, out);
        Toolbox toolbox = brokers.toolbox();
        List<BrokerLauncher> launchers = brokers.launchers(toolbox, workDir, logs);
        ProcFs procFs = ProcFs.open();
        Results measured = new Results();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (BrokerLauncher launcher : launchers) {
                out.printf(Locale.ROOT, "Round %d of %d: %s%n", round, plan.rounds(), launcher.broker().title());
                new Session(launcher, toolbox, security, plan, scenarios, workDir.toAbsolutePath(), logs, measured, procFs, out)
                        .run(round);
            }
        }

        List<SummaryRow> rows = Summary.of(scenarios, measured, plan.rounds());
        out.println();
        out.print(Report.write(results, info, ceilings, scenarios, measured, rows));
        out.println();
        out.println("Results: " + results.toAbsolutePath() + " (results.md, summary.csv, samples.csv, chart.png, logs/)");
        return 0;
    }

    private List<Ceiling> ceilings(Plan plan, PrintStream out) throws IOException, InterruptedException {
        out.println("Measuring the machine's ceilings...");
        List<Ceiling> ceilings = List.of(
                LoopbackCeiling.measure(plan.loopback()),
                DiskCeiling.synced(workDir, plan.diskBytes()),
                DiskCeiling.buffered(workDir, plan.diskBytes()));
        ceilings.forEach(c -> out.printf(Locale.ROOT, "  %s: %s MB/s%n", c.name(), Spread.number(c.megabytesPerSecond())));
        return ceilings;
    }
}
