package io.runnel.cli.client;

import java.io.InputStream;
import java.io.PrintWriter;

/**
 * Where a command reads its input, writes its output and errors, and learns that it should stop
 * (Ctrl-C or SIGTERM for a process; a call for a test running the command line in-process).
 *
 * @param in         standard input ({@code runnel produce} reads records from it)
 * @param out        standard output: the command's results
 * @param err        standard error: summaries, warnings and error lines
 * @param interrupts how a command asks to be told about a stop request
 */
public record Terminal(InputStream in, PrintWriter out, PrintWriter err, Interrupts interrupts) {

    /** Lets a long-running command (e.g. {@code runnel consume}) stop cleanly when asked to. */
    @FunctionalInterface
    public interface Interrupts {

        /**
         * Calls {@code action} (on another thread) when a stop is requested, until the returned
         * registration is closed. Close it once the command has finished its clean stop.
         */
        Registration onInterrupt(Runnable action);
    }

    /** A registered interrupt action; closing it says the command has stopped. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
