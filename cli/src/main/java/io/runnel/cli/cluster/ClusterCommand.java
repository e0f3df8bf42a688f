package io.runnel.cli.cluster;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code runnel cluster}: prints its usage; the work is done by the subcommands. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Describe the cluster.",
        subcommands = ClusterDescribeCommand.class)
public final class ClusterCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
