package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Starts one kind of broker in a directory of its own and waits until it is ready. */
interface BrokerLauncher {

    /** The longest a broker may take to become ready. */
    Duration START_TIMEOUT = Duration.ofMinutes(2);

    /** Which broker this launches. */
    Broker broker();

    /**
     * Starts a broker whose data and configuration live under {@code dir}, serving clients on
     * {@code listeners}, with its console output in {@code log}.
     *
     * @param security the settings of the SSL and SASL_SSL listeners, if {@code listeners} has them
     *                 ({@link ListenerSecurity#brokerSettings})
     * @throws IOException if it could not be started or did not become ready in time (it is then stopped)
     */
    BrokerProcess start(Path dir, Path log, ClientListeners listeners, Map<String, String> security)
            throws IOException, InterruptedException;

    /**
     * Prepares a node of a cluster in {@code dir} with {@code settings} (Kafka's names) and returns the
     * command that starts it, unstarted. Kafka's storage is formatted here with {@code clusterId}, its
     * output appended to {@code log}; Runnel needs no format step and ignores the id.
     */
    JavaCommand node(Path dir, Path log, Map<String, String> settings, String clusterId) throws IOException, InterruptedException;
}
