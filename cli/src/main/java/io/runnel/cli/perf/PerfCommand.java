package io.runnel.cli.perf;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code runnel perf}: load generators for a running broker (Runnel or any Kafka). Prints its usage;
 * the work is done by the subcommands.
 */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = "Measure a broker: produce or consume throughput, end-to-end latency at a fixed rate.",
        subcommands = {ProduceCommand.class, ConsumeCommand.class, EndToEndCommand.class})
public final class PerfCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
