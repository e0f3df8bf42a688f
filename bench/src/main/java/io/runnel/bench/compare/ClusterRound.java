package io.runnel.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * One round of the three-node comparison against a started {@link Cluster}: the CreateTopics
 * round trips, then (optionally) a controller failover, which leaves the cluster one node short.
 * Not thread-safe.
 */
final class ClusterRound {

    private static final long FAILOVER_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final Cluster cluster;
    private final String topicPrefix;
    private final PrintStream out;
    private final Map<ClusterMetric, Double> figures = new EnumMap<>(ClusterMetric.class);
    private final List<Double> createTopicsMillis = new ArrayList<>();

    ClusterRound(Cluster cluster, String topicPrefix, PrintStream out) {
        this.cluster = cluster;
        this.topicPrefix = topicPrefix;
        this.out = out;
        figures.put(ClusterMetric.READY, cluster.readyMillis());
        figures.put(ClusterMetric.SLOWEST_NODE, cluster.slowestNodeMillis());
        figures.put(ClusterMetric.PREPARE, cluster.prepareMillis());
    }

    Map<ClusterMetric, Double> figures() {
        return figures;
    }

    /** Every measured CreateTopics round trip, in milliseconds, in order. */
    List<Double> createTopicsMillis() {
        return createTopicsMillis;
    }

    /**
     * {@code warmUp} then {@code count} sequential CreateTopics of one partition, one replica, by an
     * Admin client bootstrapped on a node that is not the active controller.
     */
    void createTopics(int warmUp, int count) throws IOException, InterruptedException {
        int controller;
        try (Admin admin = admin(cluster.bootstrap(cluster.ids()))) {
            int listed = get(admin.describeCluster().nodes()).size();
            if (listed != Cluster.NODES) {
                throw new IOException("DescribeCluster lists " + listed + " brokers, not " + Cluster.NODES);
            }
            controller = activeController(admin);
        }
        int via = cluster.ids().stream().filter(id -> id != controller).findFirst().orElseThrow();
        out.printf(Locale.ROOT, "  active controller: node %d; CreateTopics through node %d%n", controller, via);
        try (Admin admin = admin(cluster.bootstrap(List.of(via)))) {
            for (int i = 0; i < warmUp; i++) {
                create(admin, topicPrefix + "-warm-" + i);
            }
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                create(admin, topicPrefix + "-" + i);
                createTopicsMillis.add((System.nanoTime() - start) / 1e6);
            }
        }
        List<Double> sorted = createTopicsMillis.stream().sorted().toList();
        figures.put(ClusterMetric.CREATE_TOPICS_P50, percentile(sorted, 50));
        figures.put(ClusterMetric.CREATE_TOPICS_P99, percentile(sorted, 99));
        figures.put(ClusterMetric.CREATE_TOPICS_MAX, sorted.get(sorted.size() - 1));
    }

    /**
     * Kills the active controller ({@code kill -9}) and measures the time until a CreateTopics through
     * the surviving nodes succeeds. The client is connected before the kill; each attempt creates a
     * new topic and is retried at once if it fails.
     */
    void failover() throws IOException, InterruptedException {
        int controller;
        try (Admin admin = admin(cluster.bootstrap(cluster.ids()))) {
            controller = activeController(admin);
        }
        List<Integer> survivors = cluster.ids().stream().filter(id -> id != controller).toList();
        try (Admin admin = admin(cluster.bootstrap(survivors))) {
            get(admin.describeCluster().nodes());
            long killed = System.nanoTime();
            cluster.kill(controller);
            for (int attempt = 0; ; attempt++) {
                try {
                    create(admin, topicPrefix + "-failover-" + attempt);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() - killed > FAILOVER_TIMEOUT_NANOS) {
                        throw new IOException("no CreateTopics succeeded within 2 minutes of killing node " + controller, e);
                    }
                }
            }
            double millis = (System.nanoTime() - killed) / 1e6;
            figures.put(ClusterMetric.FAILOVER, millis);
            out.printf(Locale.ROOT, "  killed node %d (active controller); CreateTopics OK after %.0f ms; new controller: node %d%n",
                    controller, millis, activeController(admin));
        }
    }

    /**
     * The active controller's node id: the quorum leader from DescribeQuorum (Kafka) or, for a broker
     * without that API (Runnel), the controller in DescribeCluster, which Runnel sets to the active
     * controller (Kafka's brokers name a random broker there).
     */
    static int activeController(Admin admin) throws IOException, InterruptedException {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnsupportedVersionException)) {
                throw new IOException("DescribeQuorum failed", e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IOException("DescribeQuorum timed out", e);
        }
        return get(admin.describeCluster().controller()).id();
    }

    private static void create(Admin admin, String topic) throws IOException, InterruptedException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)), new CreateTopicsOptions().timeoutMs(10_000))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // a retry of a request that had succeeded
                throw new IOException("CreateTopics " + topic + " failed: " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IOException("CreateTopics " + topic + " timed out", e);
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** A client that notices a node coming or going within a fraction of a second (the defaults back off up to 1 s). */
    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "runnel-compare-cluster");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "20");
        props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "20");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        return Admin.create(props);
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }
}
