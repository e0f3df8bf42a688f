package io.runnel.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * One system's turn in one round of the replicated comparison, against a started three-node {@link
 * Cluster}: throughput and CPU per GB, end-to-end latency at a fixed rate, then failover after kill -9
 * of a partition leader. Each phase has a topic of its own ({@code plan.partitions()} partitions,
 * replication factor 3, {@code min.insync.replicas=2}), deleted after it. A phase that fails is noted
 * and the next one runs. Not thread-safe.
 */
final class ReplicatedRound {

    private static final double MIB = 1024.0 * 1024.0;
    private static final double GB = 1e9;

    /** One partition that lost its leader in one kill; {@code millis} is NaN if it was not acknowledged again in time. */
    record FailoverSample(int kill, int node, int partition, double millis) {
    }

    private final Cluster cluster;
    private final ReplicatedPlan plan;
    private final String topicPrefix;
    private final PrintStream out;
    private final ProcFs procFs;
    private final Map<ReplicatedMetric, Double> figures = new EnumMap<>(ReplicatedMetric.class);
    private final List<FailoverSample> failovers = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    ReplicatedRound(Cluster cluster, ReplicatedPlan plan, String topicPrefix, PrintStream out, ProcFs procFs) {
        this.cluster = cluster;
        this.plan = plan;
        this.topicPrefix = topicPrefix;
        this.out = out;
        this.procFs = procFs;
    }

    Map<ReplicatedMetric, Double> figures() {
        return figures;
    }

    List<FailoverSample> failovers() {
        return failovers;
    }

    /** What went wrong or looked odd, one line each. */
    List<String> notes() {
        return notes;
    }

    private void note(String text) {
        out.println("  NOTE: " + text);
        notes.add(text);
    }

    /**
     * Unthrottled produce by {@code plan.producers()} producers: after the warm-up, the records
     * acknowledged and the brokers' CPU time (utime + stime of the three processes) over the window.
     * Then, with the producers closed, how many bytes the replicas hold against the leaders.
     */
    void throughput() throws IOException, InterruptedException {
        String topic = topicPrefix + "-throughput";
        try (Admin admin = Clients.admin(cluster.bootstrap())) {
            create(admin, topic);
            List<Long> pids = cluster.ids().stream().map(cluster::pid).toList();
            long acked0;
            long acked1;
            double cpu0;
            double cpu1;
            long t0;
            long t1;
            try (ThroughputLoad load = new ThroughputLoad(cluster.bootstrap(), topic, plan.producers(), plan.recordSize())) {
                load.start();
                sleep(plan.warmUp());
                acked0 = load.acknowledged();
                cpu0 = cpuSeconds(pids);
                t0 = System.nanoTime();
                long end = t0 + plan.throughputWindow().toNanos();
                long ackedThen = acked0;
                double cpuThen = cpu0;
                long then = t0;
                List<String> steps = new ArrayList<>();
                for (long now = t0; now < end; now = System.nanoTime()) { // a progress line every 5 s, to see it is steady
                    TimeUnit.NANOSECONDS.sleep(Math.min(end - now, TimeUnit.SECONDS.toNanos(5)));
                    long acked = load.acknowledged();
                    double cpu = cpuSeconds(pids);
                    long at = System.nanoTime();
                    double stepBytes = (double) (acked - ackedThen) * plan.recordSize();
                    steps.add(String.format(Locale.ROOT, "%.1f MB/s %.0f CPU s/GB", stepBytes / MIB / ((at - then) / 1e9),
                            stepBytes > 0 ? (cpu - cpuThen) / (stepBytes / GB) : Double.NaN));
                    ackedThen = acked;
                    cpuThen = cpu;
                    then = at;
                }
                acked1 = ackedThen;
                cpu1 = cpuThen;
                t1 = then;
                out.println("  throughput, every 5 s: " + String.join("; ", steps));
                if (load.failed() > 0) {
                    note(String.format(Locale.ROOT, "throughput: %d sends failed, the first: %s", load.failed(), load.firstError()));
                }
            }
            double seconds = (t1 - t0) / 1e9;
            long records = acked1 - acked0;
            double bytes = (double) records * plan.recordSize();
            if (records <= 0) {
                throw new IOException("no record was acknowledged in the throughput window");
            }
            figures.put(ReplicatedMetric.THROUGHPUT_RECORDS, records / seconds);
            figures.put(ReplicatedMetric.THROUGHPUT_MB, bytes / MIB / seconds);
            figures.put(ReplicatedMetric.CPU_PER_GB, (cpu1 - cpu0) / (bytes / GB));
            out.printf(Locale.ROOT, "  throughput: %.1f MB/s, %.0f records/s over %.1f s; brokers' CPU %.1f s (%.1f s per GB)%n",
                    bytes / MIB / seconds, records / seconds, seconds, cpu1 - cpu0, (cpu1 - cpu0) / (bytes / GB));
            replicatedBytes(admin, topic);
            delete(admin, topic);
        }
    }

    /**
     * The bytes every replica of {@code topic} holds (DescribeLogDirs) over three times the bytes its
     * leaders hold: 1 when the followers have everything the leaders have, 1/3 when they have nothing.
     */
    private void replicatedBytes(Admin admin, String topic) throws IOException, InterruptedException {
        Map<Integer, Integer> leaders = leaders(admin, topic);
        Map<Integer, Map<String, LogDirDescription>> dirs = get(admin.describeLogDirs(cluster.ids()).allDescriptions());
        long replicaBytes = 0;
        long leaderBytes = 0;
        for (Map.Entry<Integer, Map<String, LogDirDescription>> node : dirs.entrySet()) {
            for (LogDirDescription dir : node.getValue().values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    if (!replica.getKey().topic().equals(topic)) {
                        continue;
                    }
                    replicaBytes += replica.getValue().size();
                    if (node.getKey().equals(leaders.get(replica.getKey().partition()))) {
                        leaderBytes += replica.getValue().size();
                    }
                }
            }
        }
        if (leaderBytes == 0) {
            note("DescribeLogDirs reports no bytes on the leaders of " + topic);
            return;
        }
        double fraction = replicaBytes / (ReplicatedPlan.REPLICATION_FACTOR * (double) leaderBytes);
        figures.put(ReplicatedMetric.REPLICATED_BYTES, fraction);
        out.printf(Locale.ROOT, "  replicas hold %.0f MiB, leaders %.0f MiB: %.2f of 3 copies%n",
                replicaBytes / MIB, leaderBytes / MIB, fraction);
        if (fraction < 0.9) {
            note(String.format(Locale.ROOT, "the followers hold %.0f%% of what the leaders hold: this system does not (yet) "
                    + "replicate, so its figures are not comparable with a replicating one", (fraction * 3 - 1) / 2 * 100));
        }
    }

    /** End-to-end latency at {@code plan.latencyRate()} records/s; p50, p99, p99.9 of the measured window. */
    void latency() throws IOException, InterruptedException {
        String topic = topicPrefix + "-e2e";
        try (Admin admin = Clients.admin(cluster.bootstrap())) {
            create(admin, topic);
            long warmUp = Math.round(plan.latencyRate() * plan.latencyWarmUp().toMillis() / 1000.0);
            long records = warmUp + Math.round(plan.latencyRate() * plan.latencyWindow().toMillis() / 1000.0);
            LatencyLoad.Result result = LatencyLoad.run(cluster.bootstrap(), topic, plan.partitions(), plan.latencyRate(), warmUp, records,
                    plan.recordSize(), Duration.ofSeconds(10));
            if (result.failed() > 0) {
                note(String.format(Locale.ROOT, "latency: %d sends failed, the first: %s", result.failed(), result.firstError()));
            }
            if (result.received() < result.sent()) {
                note(String.format(Locale.ROOT, "latency: %d of %d records never reached the consumer", result.sent() - result.received(), result.sent()));
            }
            double achieved = result.sent() / result.sendSeconds();
            if (achieved < plan.latencyRate() * 0.95) {
                note(String.format(Locale.ROOT, "latency: sent %.0f records/s, not %.0f", achieved, plan.latencyRate()));
            }
            long[] sorted = result.micros().sorted();
            if (sorted.length == 0) {
                throw new IOException("no measured record reached the consumer");
            }
            figures.put(ReplicatedMetric.E2E_P50, Percentiles.percentile(sorted, 50) / 1000);
            figures.put(ReplicatedMetric.E2E_P99, Percentiles.percentile(sorted, 99) / 1000);
            figures.put(ReplicatedMetric.E2E_P999, Percentiles.percentile(sorted, 99.9) / 1000);
            long[] acks = result.ackMicros().sorted();
            if (acks.length > 0) {
                figures.put(ReplicatedMetric.ACK_P50, Percentiles.percentile(acks, 50) / 1000);
                figures.put(ReplicatedMetric.ACK_P99, Percentiles.percentile(acks, 99) / 1000);
            }
            out.printf(Locale.ROOT, "  end-to-end at %.0f records/s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d records measured)%n",
                    achieved, figures.get(ReplicatedMetric.E2E_P50), figures.get(ReplicatedMetric.E2E_P99),
                    figures.get(ReplicatedMetric.E2E_P999), sorted[sorted.length - 1] / 1000.0, sorted.length);
            out.printf(Locale.ROOT, "  produce (send → acknowledged): p50 %.2f ms, p99 %.2f ms%n",
                    figures.getOrDefault(ReplicatedMetric.ACK_P50, Double.NaN), figures.getOrDefault(ReplicatedMetric.ACK_P99, Double.NaN));
            delete(admin, topic);
        }
    }

    /**
     * {@code plan.kills()} times: waits for every replica to be in sync (or skips the kill, noted, if
     * they are not within the settle timeout), kills (SIGKILL) the leader {@link Victim} chooses, times
     * each partition it led until the probe's records to it are acknowledged again, then restarts the node.
     */
    void failover() throws IOException, InterruptedException {
        String topic = topicPrefix + "-failover";
        try (Admin admin = Clients.admin(cluster.bootstrap())) {
            create(admin, topic);
            try (FailoverProbe probe = new FailoverProbe(cluster.bootstrap(), topic, plan.partitions(), plan.probeInterval(), plan.recordSize())) {
                probe.start();
                sleep(Duration.ofSeconds(2));
                for (int kill = 0; kill < plan.kills(); kill++) {
                    if (!awaitInSync(admin, topic)) {
                        // with a replica out of the ISR, a kill can leave a partition below min.insync.replicas:
                        // unavailable until the node is back, which is not a failover
                        note(String.format(Locale.ROOT, "failover: kill %d skipped: not every replica was in sync", kill + 1));
                        continue;
                    }
                    Map<Integer, Integer> leaders = leaders(admin, topic);
                    int controller = ClusterRound.activeController(admin);
                    int victim = Victim.choose(leaders, controller, kill);
                    List<Integer> lost = Victim.ledBy(leaders, victim);
                    long failedBefore = probe.failed();
                    long killed = probe.markKill();
                    cluster.kill(victim);
                    boolean all = probe.awaitAcknowledged(lost, plan.failoverTimeout());
                    List<String> times = new ArrayList<>();
                    for (int partition : lost) {
                        long acked = probe.firstAckSinceKill(partition);
                        double millis = acked == 0 ? Double.NaN : (acked - killed) / 1e6;
                        failovers.add(new FailoverSample(kill + 1, victim, partition, millis));
                        times.add(String.format(Locale.ROOT, "p%d %s", partition, Double.isNaN(millis) ? "not acked" : String.format(Locale.ROOT, "%.0f ms", millis)));
                    }
                    out.printf(Locale.ROOT, "  kill %d: node %d (led %s; active controller: node %d): %s%n",
                            kill + 1, victim, lost, controller, String.join(", ", times));
                    if (!all) {
                        note(String.format(Locale.ROOT, "failover: kill %d of node %d: a partition was not acknowledged within %d s",
                                kill + 1, victim, plan.failoverTimeout().toSeconds()));
                    }
                    if (probe.failed() > failedBefore) {
                        note(String.format(Locale.ROOT, "failover: kill %d: %d probe sends failed so far, the first: %s",
                                kill + 1, probe.failed(), probe.firstError()));
                    }
                    double restart = cluster.restart(victim);
                    out.printf(Locale.ROOT, "  node %d restarted, listed by itself with 3 brokers after %.0f ms%n", victim, restart);
                }
            }
            List<Double> millis = failovers.stream().map(FailoverSample::millis).filter(m -> !m.isNaN()).sorted().toList();
            if (!millis.isEmpty()) {
                figures.put(ReplicatedMetric.FAILOVER_P50, ClusterRound.percentile(millis, 50));
                figures.put(ReplicatedMetric.FAILOVER_MAX, millis.get(millis.size() - 1));
            }
            delete(admin, topic);
        }
    }

    private double cpuSeconds(List<Long> pids) throws IOException {
        double total = 0;
        for (long pid : pids) {
            total += procFs.cpuTime(pid).total();
        }
        return total;
    }

    /**
     * Creates {@code topic} with three replicas and {@code min.insync.replicas=2} (each phase's topic
     * name is new, so "exists" means the client's retry of a request that had succeeded), then waits
     * until every replica is in sync.
     */
    private void create(Admin admin, String topic) throws IOException, InterruptedException {
        NewTopic spec = new NewTopic(topic, plan.partitions(), ReplicatedPlan.REPLICATION_FACTOR)
                .configs(Map.of("min.insync.replicas", Integer.toString(ReplicatedPlan.MIN_INSYNC_REPLICAS)));
        try {
            get(admin.createTopics(List.of(spec)).all());
        } catch (IOException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // a retry of a request that had succeeded
                throw e;
            }
        }
        awaitInSync(admin, topic);
    }

    private void delete(Admin admin, String topic) {
        try {
            get(admin.deleteTopics(List.of(topic)).all());
        } catch (IOException | InterruptedException e) {
            note("could not delete " + topic + ": " + e.getMessage());
        }
    }

    /**
     * Waits until every partition of {@code topic} has a leader and all three replicas in its ISR, as
     * the Metadata answer says; notes it and returns false if that takes longer than {@code plan.settleTimeout()}.
     */
    private boolean awaitInSync(Admin admin, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + plan.settleTimeout().toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
                List<TopicPartitionInfo> partitions = description.partitions();
                boolean ready = partitions.size() == plan.partitions() && partitions.stream()
                        .allMatch(p -> p.leader() != null && p.leader().id() >= 0 && p.isr().size() == ReplicatedPlan.REPLICATION_FACTOR);
                if (ready) {
                    return true;
                }
                last = partitions.stream().map(p -> p.partition() + ": leader " + (p.leader() == null ? "none" : p.leader().id())
                        + " isr " + p.isr().stream().map(n -> Integer.toString(n.id())).toList()).toList().toString();
            } catch (IOException e) {
                last = e.getMessage();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        note("replicas of " + topic + " not all in sync after " + plan.settleTimeout().toSeconds() + " s: " + last);
        return false;
    }

    /** Each partition's leader, as the Metadata answer says; partitions without one are left out. */
    private static Map<Integer, Integer> leaders(Admin admin, String topic) throws IOException, InterruptedException {
        TopicDescription description = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        Map<Integer, Integer> leaders = new TreeMap<>();
        for (TopicPartitionInfo p : description.partitions()) {
            if (p.leader() != null && p.leader().id() >= 0) {
                leaders.put(p.partition(), p.leader().id());
            }
        }
        return leaders;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }

    private static <T> T get(KafkaFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("timed out", e);
        }
    }
}
