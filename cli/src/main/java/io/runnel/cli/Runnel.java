package io.runnel.cli;

import io.runnel.cli.perf.PerfCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code runnel} command line. Each subcommand is its own class. */
@Command(name = "runnel", mixinStandardHelpOptions = true, versionProvider = RunnelVersion.class,
        description = "Runnel: an event streaming platform that speaks the Apache Kafka protocol.",
        subcommands = {ServerCommand.class, PerfCommand.class})
public final class Runnel implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Runnel()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
