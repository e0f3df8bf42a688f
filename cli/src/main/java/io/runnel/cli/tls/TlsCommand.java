package io.runnel.cli.tls;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code runnel tls}: prints its usage; the work is done by the subcommands. */
@Command(name = "tls", mixinStandardHelpOptions = true,
        description = "Certificates for TLS listeners and their clients.",
        subcommands = {DevCertsCommand.class})
public final class TlsCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
