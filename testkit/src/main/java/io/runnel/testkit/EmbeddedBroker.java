package io.runnel.testkit;

import io.runnel.broker.Broker;
import io.runnel.broker.config.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Runnel broker running inside the current JVM, for tests.
 *
 * <p>The broker listens on a random free port of {@code localhost} and keeps its data in the given
 * directory. Its metrics endpoint also gets a free port ({@code metrics.port=0}) unless an override
 * says otherwise; see {@link #metricsPort()}. {@link #restart()} shuts it down cleanly and starts it again on the same port and directory,
 * so clients keep their bootstrap address.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, Map.of("num.partitions", "3"))) {
 *     props.put("bootstrap.servers", broker.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * <p>Not thread-safe: start, restart and close it from one thread.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> overrides;
    /** The one listener's name, and so its security protocol: PLAINTEXT or SSL. */
    private final String listenerName;
    private Broker broker;
    private int port;
    private int metricsPort = -1;

    private EmbeddedBroker(Path dataDir, String listenerName, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.listenerName = listenerName;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Starts a broker on a random port of localhost with {@code log.dirs} set to {@code dataDir}.
     *
     * @param dataDir   the broker's data directory; created if missing
     * @param overrides broker configs (Kafka key names) applied over the defaults; {@code listeners} and
     *                  {@code log.dirs} are set by this class and must not be given
     * @return the broker, ready to serve requests
     * @throws UncheckedIOException when the broker cannot start
     * @throws io.runnel.broker.config.InvalidConfigException when an override is not a valid config
     */
    public static EmbeddedBroker start(Path dataDir, Map<String, String> overrides) {
        return start(dataDir, "PLAINTEXT", overrides);
    }

    /**
     * Starts a broker whose one listener is {@code <listenerName>://localhost:<random port>}, e.g. an
     * {@code SSL} listener configured by the ssl.* keys of {@code overrides}; see {@link #start(Path, Map)}.
     */
    public static EmbeddedBroker start(Path dataDir, String listenerName, Map<String, String> overrides) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(overrides, "overrides");
        if (overrides.containsKey("listeners") || overrides.containsKey("log.dirs") || overrides.containsKey("log.dir")) {
            throw new IllegalArgumentException("listeners and log.dirs are chosen by EmbeddedBroker; do not override them");
        }
        EmbeddedBroker embedded = new EmbeddedBroker(dataDir, listenerName, overrides);
        embedded.startOnPort(0);
        return embedded;
    }

    /** Starts a broker with the default configuration; see {@link #start(Path, Map)}. */
    public static EmbeddedBroker start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** The {@code bootstrap.servers} value for clients of this broker, e.g. {@code localhost:40123}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The port the broker listens on; the same across restarts. */
    public int port() {
        return port;
    }

    /**
     * The port of the broker's HTTP metrics and health endpoint ({@code http://localhost:<port>/metrics}),
     * or -1 when {@code metrics.port=-1} turned it off; the same across restarts.
     */
    public int metricsPort() {
        return metricsPort;
    }

    /** The broker's data directory ({@code log.dirs}). */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker is currently running. */
    public boolean isRunning() {
        return broker != null;
    }

    /**
     * Shuts the broker down cleanly (flush, checkpoint, clean-shutdown marker) and starts it again on the
     * same port and data directory. Returns once the new broker serves requests.
     */
    public void restart() {
        close();
        startOnPort(port);
    }

    /**
     * Shuts the broker down cleanly. A closed broker can be started again with {@link #restart()}.
     * Closing twice is harmless.
     */
    @Override
    public void close() {
        if (broker != null) {
            Broker running = broker;
            broker = null;
            running.close();
        }
    }

    private void startOnPort(int requestedPort) {
        Map<String, String> properties = new HashMap<>(overrides);
        properties.put("listeners", listenerName + "://localhost:" + requestedPort);
        properties.put("log.dirs", dataDir.toAbsolutePath().toString());
        // Tests start many brokers: a free metrics port each, kept across restarts like the listener's.
        properties.putIfAbsent("metrics.port", Integer.toString(Math.max(metricsPort, 0)));
        try {
            broker = Broker.start(BrokerConfig.parse(properties));
        } catch (IOException e) {
            throw new UncheckedIOException("Runnel broker failed to start in " + dataDir, e);
        }
        port = broker.boundPort();
        metricsPort = broker.metricsPort();
    }

    @Override
    public String toString() {
        return "EmbeddedBroker[" + bootstrapServers() + ", " + dataDir + (isRunning() ? "" : ", stopped") + "]";
    }
}
