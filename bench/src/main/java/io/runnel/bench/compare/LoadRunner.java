package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a load generator to its end, with its output in a log file, and hands back that output. A
 * load that exits non-zero or outlives its time limit (it is then killed) is a
 * {@link LoadFailedException}, never a crash of the harness. Stateless.
 */
final class LoadRunner {

    private final Duration timeout;

    LoadRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code command}; its output goes to {@code log} and is returned. */
    String run(JavaCommand command, Path log) throws LoadFailedException, IOException, InterruptedException {
        Files.deleteIfExists(log);
        Process process = Spawn.process(command, log);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new LoadFailedException("timed out after " + timeout.toSeconds() + " s; see " + log);
        }
        String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new LoadFailedException("exit " + process.exitValue() + ": " + OutputPatterns.lastLine(output));
        }
        return output;
    }
}
