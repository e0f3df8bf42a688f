package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Starts one kind of broker in a directory of its own and waits until it is ready. */
interface BrokerLauncher {

    /** The longest a broker may take to become ready. */
    Duration START_TIMEOUT = Duration.ofMinutes(2);

    /** Which broker this launches. */
    Broker broker();

    /**
     * Starts a broker whose data and configuration live under {@code dir}, listening on {@code port},
     * with its console output in {@code log}.
     *
     * @throws IOException if it could not be started or did not become ready in time (it is then stopped)
     */
    BrokerProcess start(Path dir, Path log, int port) throws IOException, InterruptedException;
}
