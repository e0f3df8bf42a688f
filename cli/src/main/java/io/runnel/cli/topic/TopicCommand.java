package io.runnel.cli.topic;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code runnel topic}: prints its usage; the work is done by the subcommands. */
@Command(name = "topic", mixinStandardHelpOptions = true,
        description = "Create, list, describe, alter and delete topics.",
        subcommands = {TopicCreateCommand.class, TopicListCommand.class, TopicDescribeCommand.class,
            TopicAlterCommand.class, TopicDeleteCommand.class})
public final class TopicCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
