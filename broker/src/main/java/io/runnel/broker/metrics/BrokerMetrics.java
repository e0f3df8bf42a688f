package io.runnel.broker.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.network.KafkaServer;
import io.runnel.broker.network.RequestListener;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import java.io.IOException;
import java.util.function.IntConsumer;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The broker's metrics: one Micrometer registry published two ways, over HTTP in Prometheus' format
 * (with the health endpoints, see {@link MetricsHttpServer}) and as JMX MBeans in the domain
 * {@code runnel}. Holds the JVM meters from the start, then the broker's as its parts come up:
 * {@link #watchTopics} once partitions exist, {@link #serving} once the listener is bound.
 * Scrapes and group refreshes run on the metrics threads ({@code runnel-metrics}), never on the
 * network threads. Started, advanced and closed by the broker's starting thread.
 */
public final class BrokerMetrics implements AutoCloseable {

    /** How often consumer group meters are re-read even when nobody scrapes (for JMX readers). */
    private static final long GROUP_REFRESH_SECONDS = 15;

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JmxMeterRegistry jmx = new JmxMeterRegistry(new RunnelJmxConfig(), Clock.SYSTEM);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Readiness readiness = new Readiness();
    private final RequestMeters requests;
    private final ScheduledThreadPoolExecutor threads;
    /**
     * HTTP exchanges get threads of their own, apart from the group refresh (which may wait seconds
     * for the coordinator), so /health answers while a scrape or a slow client is stuck.
     */
    private final ExecutorService httpThreads;
    private String host = "";
    private String scheme = "http";
    private MetricsHttpServer http;
    private TopicMeters topics;
    private volatile GroupMeters groups;
    private volatile TransactionMeters transactions;

    private BrokerMetrics() {
        // Every registry joins before the first meter, so each sees every recording.
        registry.add(prometheus);
        registry.add(jmx);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        requests = new RequestMeters(registry);
        threads = new ScheduledThreadPoolExecutor(2, new DefaultThreadFactory("runnel-metrics", true));
        httpThreads = Executors.newCachedThreadPool(new DefaultThreadFactory("runnel-metrics-http", true));
    }

    /** JMX names under {@code runnel:} rather than Micrometer's default {@code metrics:}. */
    private static final class RunnelJmxConfig implements JmxConfig {
        @Override
        public String get(String key) {
            return null;
        }

        @Override
        public String domain() {
            return "runnel";
        }
    }

    /**
     * Creates the registry and, unless {@code port} is -1, serves HTTP on {@code host:port} (all
     * interfaces when {@code host} is empty; a free port for 0). Readiness says "starting" until
     * {@link #serving}.
     *
     * @throws IOException naming the address when it cannot be bound
     */
    public static BrokerMetrics start(String host, int port) throws IOException {
        return start(host, port, EndpointSecurity.NONE);
    }

    /** {@link #start(String, int)} with the endpoint served as {@code security} says (HTTPS, basic auth). */
    public static BrokerMetrics start(String host, int port, EndpointSecurity security) throws IOException {
        BrokerMetrics metrics = new BrokerMetrics();
        metrics.host = host;
        metrics.scheme = security.tls() == null ? "http" : "https";
        if (port >= 0) {
            InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
            try {
                metrics.http = MetricsHttpServer.start(address, metrics.httpThreads, metrics::scrape, metrics.readiness, security);
            } catch (IOException e) {
                metrics.close();
                throw e;
            }
        }
        return metrics;
    }

    /**
     * {@link #start} on a thread of its own: loading Micrometer, the Prometheus client and JMX costs
     * some hundreds of milliseconds of CPU, which then overlaps the broker's own start instead of
     * adding to it. The future fails with the {@link IOException} of a taken port.
     */
    public static CompletableFuture<BrokerMetrics> startInBackground(String host, int port, EndpointSecurity security) {
        CompletableFuture<BrokerMetrics> started = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                started.complete(start(host, port, security));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "runnel-metrics-start");
        thread.setDaemon(true);
        thread.start();
        return started;
    }

    /** Waits for {@link #startInBackground}; rethrows its failure as it was thrown. */
    public static BrokerMetrics await(CompletableFuture<BrokerMetrics> starting) throws IOException {
        try {
            return starting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the metrics endpoint", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("cannot start the metrics", cause);
        }
    }

    /** What the network layer reports each request to. */
    public RequestListener requests() {
        return requests;
    }

    /**
     * Where the client quota of {@code quotaType} (Kafka's names: Produce, Fetch) tells each throttle time it hands
     * out, in ms: {@code runnel_quota_throttle_time_seconds{type}}, as Kafka's {@code throttle-time} sensors (without
     * their per-user and per-client labels, which would grow with every client id).
     */
    public IntConsumer throttleTimes(String quotaType) {
        Timer timer = Timer.builder("runnel.quota.throttle.time")
                .description("Throttle times handed out by client quotas").tag("type", quotaType).register(registry());
        return throttleMs -> timer.record(throttleMs, TimeUnit.MILLISECONDS);
    }

    /** Starts the per-topic and per-partition meters, following topic creation and deletion; returns where handlers count traffic. */
    public TopicTraffic watchTopics(ClusterMetadata controller, PartitionRegistry partitions) {
        topics = new TopicMeters(registry, partitions);
        controller.addListener(topics);
        topics.load(controller::image);
        return topics;
    }

    /** The broker serves requests: adds the broker-wide and group meters, and readiness turns to ready. */
    public void serving(KafkaServer server, ClusterMetadata controller, LogManager logs, GroupCoordinatorRuntime groupRuntime,
                        PartitionRegistry partitions) {
        gauge("runnel.connections", "Open client connections", server::connectionCount);
        gauge("runnel.topics", "Topics, internal ones included", () -> controller.image().topics().size());
        gauge("runnel.replicas.offline", "Replicas on this broker whose log is offline after an I/O error", () -> offline(logs));
        replicaMeters(controller, partitions);
        metadataGauges(controller);
        groups = new GroupMeters(registry, groupRuntime, partitions);
        threads.scheduleWithFixedDelay(groups::refresh, 0, GROUP_REFRESH_SECONDS, TimeUnit.SECONDS);
        readiness.serving(() -> offline(logs));
    }

    /** The broker coordinates transactions: adds the transaction meters, refreshed as the group meters are. */
    public void watchTransactions(TransactionCoordinatorRuntime coordinator, PartitionRegistry partitions) {
        transactions = new TransactionMeters(registry, coordinator, partitions);
        threads.scheduleWithFixedDelay(transactions::refresh, 0, GROUP_REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    /** Kafka's ReplicaManager meters of this broker, from the image; the ISR counters follow the images from now on. */
    private void replicaMeters(ClusterMetadata metadata, PartitionRegistry partitions) {
        ReplicaMeters replicas = new ReplicaMeters(registry, metadata.nodeId(), metadata::image,
                partition -> partitions.replica(partition).map(Partition::minInsyncReplicas));
        metadata.addListener(replicas);
    }

    /** The controller and metadata meters; the image is the same on every node, so any node reports the broker counts. */
    private void metadataGauges(ClusterMetadata metadata) {
        gauge("runnel.controller.active", "1 on the active controller, else 0", () -> metadata.isActiveController() ? 1 : 0);
        gauge("runnel.controller.registered.brokers", "Brokers registered with the controller, fenced or not",
                () -> metadata.image().brokers().size());
        gauge("runnel.controller.fenced.brokers", "Registered brokers the controller has fenced",
                () -> metadata.image().brokers().values().stream().filter(BrokerRegistration::fenced).count());
        gauge("runnel.metadata.offset", "Offset of the last metadata record batch this node has applied", () -> metadata.image().offset());
        if (metadata.committedOffset().isPresent()) {
            gauge("runnel.metadata.lag", "Committed metadata offset this node knows of minus the offset it has applied",
                    () -> Math.max(0, metadata.committedOffset().orElse(0) - metadata.image().offset()));
        }
    }

    /** Shutdown has begun: readiness turns to "shutting down"; metrics stay served until {@link #close}. */
    public void stopping() {
        readiness.stopping();
    }

    private static int offline(LogManager logs) {
        int offline = 0;
        for (PartitionLog log : logs.allLogs()) {
            if (log.isOffline()) {
                offline++;
            }
        }
        return offline;
    }

    private void gauge(String name, String description, java.util.function.Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    private String scrape(String contentType) {
        GroupMeters current = groups;
        if (current != null) {
            current.refresh();
        }
        TransactionMeters currentTransactions = transactions;
        if (currentTransactions != null) {
            currentTransactions.refresh();
        }
        return prometheus.scrape(contentType);
    }

    /** The registry, for tests and embedders that add their own meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The bound HTTP port, or -1 when HTTP is off. */
    public int port() {
        return http == null ? -1 : http.address().getPort();
    }

    /** Where the metrics are served, for the start-up line: e.g. {@code http://localhost:9644/metrics}, or "off". */
    public String address() {
        if (http == null) {
            return "off";
        }
        return scheme + "://" + (host.isEmpty() ? "*" : host) + ":" + port() + "/metrics";
    }

    /** Stops serving HTTP, unregisters the MBeans and releases the JVM listeners. */
    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        threads.shutdownNow();
        httpThreads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gcMetrics.close();
        jmx.close();
        prometheus.close();
        registry.close();
    }
}
