package io.runnel.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the JDK's own {@code keytool}, so tests make certificates exactly as operators do. */
final class Keytool {

    private static final Path EXECUTABLE = Path.of(System.getProperty("java.home"), "bin", "keytool");

    private Keytool() {
    }

    /**
     * Runs keytool with the arguments and waits for it.
     *
     * @throws IllegalStateException with keytool's output when it fails
     */
    static void run(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(EXECUTABLE.toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish: " + String.join(" ", arguments));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed (" + process.exitValue() + "): " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + EXECUTABLE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
