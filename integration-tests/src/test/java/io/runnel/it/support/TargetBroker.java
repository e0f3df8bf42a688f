package io.runnel.it.support;

import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.Map;

/**
 * The broker a differential test talks to: Runnel, started in-process, or an Apache Kafka broker
 * already running at {@code -Drunnel.it.reference.bootstrap=host:port}, so that the same cases can be
 * run against Kafka while they are written. Names made with {@link #unique} keep topics and ids of
 * separate runs apart on a long-lived reference broker.
 */
public final class TargetBroker implements AutoCloseable {

    private static final String REFERENCE = System.getProperty("runnel.it.reference.bootstrap");
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    private final EmbeddedBroker runnel;
    private final String bootstrapServers;

    private TargetBroker(EmbeddedBroker runnel, String bootstrapServers) {
        this.runnel = runnel;
        this.bootstrapServers = bootstrapServers;
    }

    /** Runnel with {@code overrides}, or the reference broker if one is named (configured the same way by hand). */
    public static TargetBroker start(Path dataDir, Map<String, String> overrides) {
        if (REFERENCE != null) {
            return new TargetBroker(null, REFERENCE);
        }
        EmbeddedBroker broker = EmbeddedBroker.start(dataDir, overrides);
        return new TargetBroker(broker, broker.bootstrapServers());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code name} made unique to this run. */
    public static String unique(String name) {
        return name + "-" + RUN;
    }

    @Override
    public void close() {
        if (runnel != null) {
            runnel.close();
        }
    }
}
