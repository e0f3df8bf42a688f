package io.runnel.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One broker's turn in one round: start it on fresh storage (start-to-ready), let it settle (RSS idle),
 * warm it up with the unmeasured loads of {@link Scenarios#warmUp}, run every scenario while sampling
 * its RSS and reading its CPU time before and after each load, then stop it and delete its data. Whatever fails is recorded in
 * {@link Results} and the turn goes on. Runs on the caller's thread.
 */
final class Session {

    private static final double MIB = 1024.0 * 1024.0;
    private static final long IDLE_SETTLE_MS = 2000;

    private final BrokerLauncher launcher;
    private final Toolbox toolbox;
    private final ListenerSecurity security;
    private final boolean secured;
    private final Plan plan;
    private final List<Scenario> scenarios;
    private final Path workDir;
    private final Path logDir;
    private final Results results;
    private final ProcFs procFs;
    private final LoadRunner runner;
    private final PrintStream out;

    /**
     * @param security the run's TLS and SCRAM material, prepared if any of {@code scenarios} runs over
     *                 SSL or SASL_SSL; the broker then gets those listeners too
     */
    Session(BrokerLauncher launcher, Toolbox toolbox, ListenerSecurity security, Plan plan, List<Scenario> scenarios,
            Path workDir, Path logDir, Results results, ProcFs procFs, PrintStream out) {
        this.launcher = launcher;
        this.toolbox = toolbox;
        this.security = security;
        this.secured = Scenarios.anySecured(scenarios);
        this.plan = plan;
        this.scenarios = scenarios;
        this.workDir = workDir;
        this.logDir = logDir;
        this.results = results;
        this.procFs = procFs;
        this.runner = new LoadRunner(plan.loadTimeout());
        this.out = out;
    }

    /** Runs this broker's turn of round {@code round}. */
    void run(int round) throws IOException, InterruptedException {
        Broker broker = launcher.broker();
        Path dir = workDir.resolve(broker.id() + "-r" + round);
        deleteRecursively(dir);
        BrokerProcess process;
        ClientListeners listeners = ClientListeners.pick(secured);
        try {
            process = launcher.start(dir, logFile(round, "broker"), listeners, secured ? security.brokerSettings() : Map.of());
        } catch (IOException e) {
            out.println("  " + broker.title() + " did not start: " + e.getMessage());
            results.fail(broker, round, Results.BROKER, "did not start: " + e.getMessage());
            scenarios.forEach(s -> results.fail(broker, round, s.id(), "broker did not start"));
            return;
        }
        try (process; RssSampler sampler = new RssSampler(process.pid()); Topics topics = new Topics(process.bootstrap())) {
            out.printf(Locale.ROOT, "  %s ready in %.0f ms (pid %d)%n", broker.title(), process.readyMillis(), process.pid());
            results.add(broker, round, Results.BROKER, Metric.START_TO_READY, process.readyMillis());
            if (process.formatMillis() > 0) {
                results.add(broker, round, Results.BROKER, Metric.FORMAT, process.formatMillis());
            }
            Thread.sleep(IDLE_SETTLE_MS);
            results.add(broker, round, Results.BROKER, Metric.RSS_IDLE, ProcFs.rssBytes(process.pid()) / MIB);
            if (secured) {
                addScramUser(round, process);
            }
            warmUp(round, process, listeners, topics);

            double loadPeak = 0;
            Set<String> prefilled = new HashSet<>();
            for (Scenario scenario : scenarios) {
                loadPeak = Math.max(loadPeak, runScenario(round, scenario, process, listeners, topics, sampler, prefilled));
            }
            if (loadPeak > 0) {
                results.add(broker, round, Results.BROKER, Metric.RSS_UNDER_LOAD, loadPeak);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * Creates the SCRAM user the SASL_SSL loads log in as. A failure is reported and the turn goes on:
     * those loads then fail on their own (authentication fails) and the table says so.
     */
    private void addScramUser(int round, BrokerProcess process) throws InterruptedException {
        try {
            security.addUser(process.bootstrap());
        } catch (LoadFailedException e) {
            out.println("  " + process.broker().title() + ": " + e.getMessage());
            results.fail(process.broker(), round, Results.BROKER, e.getMessage());
        }
    }

    /**
     * Runs {@link Scenarios#warmUp} and, with SSL and SASL_SSL listeners, {@link Scenarios#securedWarmUp},
     * unmeasured; a failed load is reported and the rest still run.
     */
    private void warmUp(int round, BrokerProcess process, ClientListeners listeners, Topics topics)
            throws IOException, InterruptedException {
        List<Load> loads = new ArrayList<>(Scenarios.warmUp(plan));
        if (secured) {
            loads.addAll(Scenarios.securedWarmUp(plan, security));
        }
        for (Load load : loads) {
            String name = load.topic().name();
            try {
                topics.create(load.topic());
                if (load.prefillRecords() > 0) {
                    runner.run(load.prefill(toolbox, process.bootstrap()), logFile(round, name + "-prefill"));
                }
                runner.run(load.command(toolbox, listeners.bootstrap(load.protocol())), logFile(round, name));
            } catch (LoadFailedException e) {
                out.println("  warm-up " + name + " failed (continuing): " + e.getMessage());
            }
        }
    }

    /** Runs one scenario; returns the broker's peak RSS during it in MiB (0 if it failed). */
    private double runScenario(int round, Scenario scenario, BrokerProcess process, ClientListeners listeners, Topics topics,
                               RssSampler sampler, Set<String> prefilled) throws IOException, InterruptedException {
        Broker broker = process.broker();
        Load load = scenario.load();
        try {
            if (!process.isAlive()) {
                throw new LoadFailedException("the broker has exited; see " + process.log());
            }
            topics.create(load.topic());
            if (load.prefillRecords() > 0 && !prefilled.contains(load.topic().name())) {
                runner.run(load.prefill(toolbox, process.bootstrap()), logFile(round, scenario.id() + "-prefill"));
                prefilled.add(load.topic().name());
            }
            sampler.reset();
            ProcFs.CpuTime before = procFs.cpuTime(process.pid());
            String output = runner.run(load.command(toolbox, listeners.bootstrap(load.protocol())), logFile(round, scenario.id()));
            ProcFs.CpuTime cpu = procFs.cpuTime(process.pid()).minus(before);
            double peak = sampler.peak() / MIB;
            Map<Metric, Double> figures = new EnumMap<>(load.parse(output));
            if (load.bytesMoved() > 0) {
                figures.put(Metric.CPU_PER_GB, cpu.total() / (load.bytesMoved() / 1e9));
            }
            if (cpu.total() > 0) {
                figures.put(Metric.CPU_USER_SHARE, 100 * cpu.user() / cpu.total());
            }
            figures.put(Metric.RSS_PEAK, peak);
            results.addAll(broker, round, scenario.id(), figures);
            out.println("  " + broker.title() + " " + scenario.id() + ": " + describe(figures));
            return peak;
        } catch (LoadFailedException e) {
            results.fail(broker, round, scenario.id(), e.getMessage());
            out.println("  " + broker.title() + " " + scenario.id() + ": FAILED " + e.getMessage());
            return 0;
        }
    }

    private static String describe(Map<Metric, Double> figures) {
        StringBuilder text = new StringBuilder();
        figures.forEach((metric, value) -> {
            if (metric != Metric.RECORDS_PER_SECOND && metric != Metric.LATENCY_MAX && metric != Metric.LATENCY_AVG
                    && metric != Metric.LATENCY_P50 && metric != Metric.RSS_PEAK) {
                text.append(text.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%s %.2f %s", metric.title(), value, metric.unit()));
            }
        });
        return text.toString();
    }

    private Path logFile(int round, String name) {
        return logDir.resolve(launcher.broker().id() + "-r" + round + "-" + name + ".log");
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
