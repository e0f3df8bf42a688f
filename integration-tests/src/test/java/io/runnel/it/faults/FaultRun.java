package io.runnel.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.BrokerProcessCluster;
import io.runnel.testkit.check.CheckResult;
import io.runnel.testkit.check.FaultReport;
import io.runnel.testkit.check.HistoryChecker;
import io.runnel.testkit.check.ReplicaCheckResult;
import io.runnel.testkit.check.ReplicaLogChecker;
import io.runnel.testkit.workload.FinalRead;
import io.runnel.testkit.workload.FinalReader;
import io.runnel.testkit.workload.History;
import io.runnel.testkit.workload.Read;
import io.runnel.testkit.workload.Workload;
import io.runnel.testkit.workload.WorkloadConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * One fault test run: three broker processes on loopback, a topic of 6 partitions with replication factor 3
 * and {@code min.insync.replicas=2}, the {@link Workload} (3 idempotent acks=all producers, 2 group
 * consumers) recording into a {@link History}, and a {@link Nemesis} for the test to inject faults with.
 * {@link #finish()} repairs the cluster, lets the workload write a little more, stops it, reads every
 * partition to the end, stops the cluster cleanly, checks the history and the replicas' logs, and writes
 * the {@link FaultReport} to {@code target/faults/}. Used from the test thread only.
 */
final class FaultRun implements AutoCloseable {

    static final String TOPIC = "faults";
    static final int PARTITIONS = 6;
    static final int REPLICATION_FACTOR = 3;
    static final Path REPORT_DIR = Path.of("target", "faults");

    /** Short timeouts, so failovers happen within seconds on a 2-core machine. */
    static final Map<String, String> BROKER_CONFIG = Map.of(
            "broker.session.timeout.ms", "3000",
            "broker.heartbeat.interval.ms", "500",
            "replica.lag.time.max.ms", "2000",
            "default.replication.factor", "3",
            "offsets.topic.replication.factor", "3",
            "group.initial.rebalance.delay.ms", "0",
            "unclean.leader.election.enable", "false");

    private static final int WARM_UP_ACKS = 200;
    private static final int ACKS_AFTER_REPAIR_PER_PARTITION = 20;
    private static final Duration PRODUCER_DRAIN = Duration.ofSeconds(20);
    private static final Duration FINAL_READ_LIMIT = Duration.ofSeconds(30);
    private static final Duration CONSUMER_CATCH_UP = Duration.ofSeconds(20);

    private final String name;
    private final Path dir;
    private final BrokerProcessCluster cluster;
    private final History history = new History();
    private final Workload workload;
    private final Nemesis nemesis;
    private final long seed;
    private final long startNanos = System.nanoTime();
    private boolean finished;

    private FaultRun(String name, Path dir, BrokerProcessCluster cluster, long seed) {
        this.name = name;
        this.dir = dir;
        this.cluster = cluster;
        this.seed = seed;
        this.nemesis = new Nemesis(cluster, history, TOPIC, PARTITIONS, seed);
        this.workload = Workload.start(WorkloadConfig.defaults(cluster.bootstrapServers(), TOPIC, PARTITIONS), history);
    }

    /**
     * Starts the cluster (its nodes linked through cuttable proxies when {@code linked}), creates the topic,
     * starts the workload and returns once it has some acknowledged writes.
     */
    static FaultRun start(String name, Path dir, boolean linked) {
        BrokerProcessCluster cluster = linked ? BrokerProcessCluster.startWithLinks(dir, 3, BROKER_CONFIG)
                : BrokerProcessCluster.start(dir, 3, BROKER_CONFIG);
        FaultRun run;
        try {
            createTopic(cluster.bootstrapServers());
            run = new FaultRun(name, dir, cluster, FaultProfile.seed());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> run.workload.acknowledged() >= WARM_UP_ACKS);
        return run;
    }

    /** Creates the topic; an Admin retry that finds it made by its own timed-out first attempt counts as done. */
    private static void createTopic(String bootstrapServers) {
        try (Admin admin = KafkaClients.admin(bootstrapServers)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) REPLICATION_FACTOR).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create " + TOPIC, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create " + TOPIC, e);
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> PartitionStates.askNode(bootstrapServers.split(",")[0], TOPIC).allLedOutside(PARTITIONS, Set.of()));
    }

    BrokerProcessCluster cluster() {
        return cluster;
    }

    Nemesis nemesis() {
        return nemesis;
    }

    Workload workload() {
        return workload;
    }

    /** The data directory of a node, which is its log directory. */
    Path logDir(int node) {
        return cluster.dataDir(node);
    }

    /** Waits until every partition has {@code count} more acknowledged sends than now; false if it timed out. */
    boolean awaitAcknowledgedOnEveryPartition(int count) {
        Map<Integer, Long> before = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            before.put(p, workload.acknowledged(p));
        }
        return nemesis.awaitWithinBudget(count + " more acknowledged sends on every partition",
                () -> before.entrySet().stream().allMatch(e -> workload.acknowledged(e.getKey()) >= e.getValue() + count));
    }

    /** Repairs everything, stops the workload and the cluster, checks, writes and prints the report. */
    FaultReport finish() {
        nemesis.repairAll();
        boolean inSync = nemesis.awaitFullyInSync();
        awaitAcknowledgedOnEveryPartition(ACKS_AFTER_REPAIR_PER_PARTITION);
        workload.stopProducers(PRODUCER_DRAIN);
        FinalRead finalRead = FinalReader.read(cluster.bootstrapServers(), TOPIC, PARTITIONS, FINAL_READ_LIMIT);
        history.finalRead(finalRead);
        workload.awaitConsumed(finalRead.records().stream().map(Read::value).toList(), CONSUMER_CATCH_UP);
        workload.stopConsumers();
        inSync &= nemesis.awaitFullyInSync();
        cluster.close();
        finished = true;

        CheckResult check = HistoryChecker.check(history);
        Map<Integer, Path> logDirs = new HashMap<>();
        cluster.nodeIds().forEach(node -> logDirs.put(node, logDir(node)));
        ReplicaCheckResult replicas = ReplicaLogChecker.check(logDirs, Set.of(TOPIC), REPLICATION_FACTOR);
        List<String> notes = new ArrayList<>();
        notes.add("seed " + seed + " (-Drunnel.faults.seed=" + seed + " repeats the nemesis' choices)" + (inSync ? "" : "; the ISR was never full again"));
        notes.addAll(nemesis.notes());
        FaultReport report = FaultReport.of(name, history, check, replicas, Duration.ofNanos(System.nanoTime() - startNanos), notes);
        report.writeTo(REPORT_DIR);
        history.writeTo(REPORT_DIR.resolve(name + ".history.txt"));
        System.out.println(report.summary() + " [seed " + seed + (inSync ? "" : ", ISR never full again") + ", logs in " + dir + "]");
        return report;
    }

    /** Fails the test with the report's details unless it passed. */
    static void assertPassed(FaultReport report) {
        assertThat(report.passed()).as("%s%n(the history is in %s)", report.details(), REPORT_DIR.resolve(report.name() + ".history.txt").toAbsolutePath())
                .isTrue();
    }

    /** Stops whatever a failed test left running. */
    @Override
    public void close() {
        if (!finished) {
            try {
                workload.close();
            } finally {
                cluster.close();   // resumes paused nodes, stops all, closes the links
            }
        }
    }
}
