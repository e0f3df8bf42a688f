package io.runnel.cli.client;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * A command that talks to a broker through the Kafka clients: it has the {@link ClientOptions}, writes
 * to its {@link Terminal}, and turns an expected failure into one line on standard error and an exit
 * code ({@link ClientErrors}). A mistake in the command line itself ({@link CommandLine.ParameterException})
 * goes to picocli, which exits 2. Runs on the thread that runs the command line.
 */
public abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    protected ClientOptions client;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private Terminal terminal;

    /** Gives the command its terminal; called once, before it runs. */
    public final void attach(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(new ClientErrors.Failure("interrupted", CommandLine.ExitCode.SOFTWARE));
        } catch (Exception e) {
            return fail(ClientErrors.describe(e, client.bootstrapServer()));
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Does the command's work; returns the exit code. */
    protected abstract int execute() throws Exception;

    /** A mistake in the command line found after parsing: picocli prints it as a usage error (exit 2). */
    protected final CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The terminal the command runs in. */
    protected final Terminal terminal() {
        return terminal;
    }

    /** Standard output: the command's results. */
    protected final PrintWriter out() {
        return terminal.out();
    }

    /** Standard error: summaries and warnings. */
    protected final PrintWriter err() {
        return terminal.err();
    }

    private int fail(ClientErrors.Failure failure) {
        err().println("runnel: " + failure.line());
        return failure.exitCode();
    }
}
