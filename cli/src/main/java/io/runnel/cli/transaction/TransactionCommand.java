package io.runnel.cli.transaction;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code runnel transaction}: prints its usage; the work is done by the subcommands. */
@Command(name = "transaction", mixinStandardHelpOptions = true,
        description = "List and describe transactions as their coordinators hold them.",
        subcommands = {TransactionListCommand.class, TransactionDescribeCommand.class})
public final class TransactionCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
