package io.runnel.it.support;

import io.runnel.cli.Runnel;
import io.runnel.cli.client.Terminal;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the {@code runnel} command line in this JVM, as {@code bin/runnel} would run it, with standard
 * input given as text and standard output and error captured. {@link #start} runs a long command (a
 * consumer) on its own thread; {@link Running#interrupt()} then does what Ctrl-C does.
 */
public final class Cli {

    private final String bootstrapServers;

    private Cli(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Runs commands with {@code --bootstrap-server} set to this broker. */
    public static Cli against(String bootstrapServers) {
        return new Cli(bootstrapServers);
    }

    /** Runs a client command against the broker, with empty standard input. */
    public Result runnel(String... args) {
        return run(withBroker(args));
    }

    /** Runs a client command against the broker, with {@code stdin} as standard input. */
    public Result runnelWithInput(String stdin, String... args) {
        return runWithInput(stdin, withBroker(args));
    }

    /** Starts a client command against the broker on its own thread. */
    public Running startRunnel(String... args) {
        return start("", withBroker(args));
    }

    private String[] withBroker(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--bootstrap-server";
        all[args.length + 1] = bootstrapServers;
        return all;
    }

    /** What a command printed and its exit code. */
    public record Result(int exitCode, String out, String err) {

        /** The lines of standard output. */
        public List<String> outLines() {
            return out.lines().toList();
        }

        /** The lines of standard error, without blank ones. */
        public List<String> errLines() {
            return err.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    /** Runs a command with empty standard input until it exits. */
    public static Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs a command with {@code stdin} as its standard input until it exits. */
    public static Result runWithInput(String stdin, String... args) {
        Running running = start(stdin, args);
        return running.await();
    }

    /** Starts a command on its own thread. */
    public static Running start(String stdin, String... args) {
        Running running = new Running(stdin);
        running.exitCode = CompletableFuture.supplyAsync(() -> Runnel.run(running.terminal, args), task -> {
            Thread thread = new Thread(task, "runnel-cli");
            thread.setDaemon(true); // a test that fails before it stops a consumer must not keep the JVM alive
            thread.start();
        });
        return running;
    }

    /** A command running on its own thread. */
    public static final class Running {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final AtomicReference<Runnable> onInterrupt = new AtomicReference<>(() -> { });
        private final Terminal terminal;
        private CompletableFuture<Integer> exitCode;

        private Running(String stdin) {
            terminal = new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                    new PrintWriter(out, true), new PrintWriter(err, true), action -> {
                        onInterrupt.set(action);
                        return () -> onInterrupt.set(() -> { });
                    });
        }

        /** What the command has printed to standard output so far. */
        public String out() {
            return out.toString();
        }

        /** Asks the command to stop, as Ctrl-C would. */
        public void interrupt() {
            onInterrupt.get().run();
        }

        /** Waits (at most a minute) until the command exits. */
        public Result await() {
            try {
                return new Result(exitCode.get(1, TimeUnit.MINUTES), out.toString(), err.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("runnel did not finish: " + err, e);
            }
        }
    }
}
