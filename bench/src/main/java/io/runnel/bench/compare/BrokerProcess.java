package io.runnel.bench.compare;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A broker running as a child process, ready to serve. Closing it stops it as an operator would
 * (SIGTERM, then SIGKILL if it has not exited within a minute). Not thread-safe.
 */
final class BrokerProcess implements AutoCloseable {

    private final Broker broker;
    private final Process process;
    private final String bootstrap;
    private final double readyMillis;
    private final Path log;
    private double formatMillis;

    BrokerProcess(Broker broker, Process process, String bootstrap, double readyMillis, Path log) {
        this.broker = broker;
        this.process = process;
        this.bootstrap = bootstrap;
        this.readyMillis = readyMillis;
        this.log = log;
    }

    /** Records how long a format step before the start took (Kafka's storage format). */
    BrokerProcess withFormatMillis(double millis) {
        this.formatMillis = millis;
        return this;
    }

    /** Milliseconds the format step before the start took; 0 if the broker needs none. */
    double formatMillis() {
        return formatMillis;
    }

    Broker broker() {
        return broker;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code host:port} for clients. */
    String bootstrap() {
        return bootstrap;
    }

    /** Milliseconds from spawning the process to its first Metadata answer. */
    double readyMillis() {
        return readyMillis;
    }

    /** The broker's console output. */
    Path log() {
        return log;
    }

    /** Kills the process as {@code kill -9} does and waits for it to exit. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
    }
}
