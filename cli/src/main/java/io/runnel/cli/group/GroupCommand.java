package io.runnel.cli.group;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code runnel group}: prints its usage; the work is done by the subcommands. */
@Command(name = "group", mixinStandardHelpOptions = true,
        description = "List, describe and delete consumer groups; reset their offsets.",
        subcommands = {GroupListCommand.class, GroupDescribeCommand.class, GroupResetOffsetsCommand.class,
            GroupDeleteCommand.class})
public final class GroupCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
