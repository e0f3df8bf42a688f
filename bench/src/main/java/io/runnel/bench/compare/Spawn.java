package io.runnel.bench.compare;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/** Starts child processes with their output in a file. */
final class Spawn {

    private Spawn() {
    }

    /** Starts {@code command} with no input and standard output and error appended to {@code log}. */
    static Process process(JavaCommand command, Path log) throws IOException {
        return new ProcessBuilder(command.commandLine())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /**
     * Spawns a broker and waits until it answers Metadata; the time from spawn to that answer is its
     * start-to-ready time. A broker that does not become ready is stopped.
     */
    static BrokerProcess broker(Broker broker, JavaCommand command, Path log, int port)
            throws IOException, InterruptedException {
        ReadinessProbe probe = new ReadinessProbe("localhost", port);
        long spawned = System.nanoTime();
        Process process = process(command, log);
        if (!probe.await(process, BrokerLauncher.START_TIMEOUT)) {
            process.destroyForcibly().waitFor();
            throw new IOException(broker.title() + " did not become ready (exit "
                    + (process.isAlive() ? "-" : process.exitValue()) + "); see " + log);
        }
        double readyMillis = (System.nanoTime() - spawned) / 1e6;
        return new BrokerProcess(broker, process, "localhost:" + port, readyMillis, log);
    }
}
