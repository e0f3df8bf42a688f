package io.runnel.it.support;

import io.runnel.testkit.BrokerProcess;
import java.nio.file.Path;
import java.util.Map;

/**
 * A broker in a process of its own that a crash test kills with SIGKILL and starts again on the same
 * data directory: Runnel's ({@link BrokerProcess}), or, with
 * {@code -Drunnel.it.reference.kafka-libs=<directory of Apache Kafka's jars>}, an Apache Kafka node
 * ({@link ReferenceKafkaProcess}), so that a crash test can be run against Kafka while it is written.
 */
public interface CrashableBroker extends AutoCloseable {

    /** Where Kafka's jars are when crash tests run against Apache Kafka, else null. */
    String REFERENCE_LIBS = System.getProperty("runnel.it.reference.kafka-libs");

    /** Starts a broker on {@code dataDir} (kept across restarts) with {@code config} and waits until it serves. */
    static CrashableBroker start(Path dataDir, Map<String, String> config) {
        if (REFERENCE_LIBS != null) {
            return ReferenceKafkaProcess.start(Path.of(REFERENCE_LIBS), dataDir, config);
        }
        BrokerProcess runnel = BrokerProcess.start(dataDir, config);
        return new CrashableBroker() {
            @Override
            public String bootstrapServers() {
                return runnel.bootstrapServers();
            }

            @Override
            public void kill() {
                runnel.kill();
            }

            @Override
            public void close() {
                runnel.close();
            }
        };
    }

    String bootstrapServers();

    /** SIGKILL, and waits until the process is gone. */
    void kill();

    /** Stops the broker cleanly if it still runs. */
    @Override
    void close();
}
