package io.runnel.cli;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.Terminal;
import io.runnel.cli.cluster.ClusterCommand;
import io.runnel.cli.consume.ConsumeCommand;
import io.runnel.cli.group.GroupCommand;
import io.runnel.cli.perf.PerfCommand;
import io.runnel.cli.produce.ProduceCommand;
import io.runnel.cli.topic.TopicCommand;
import io.runnel.cli.tls.TlsCommand;
import io.runnel.cli.transaction.TransactionCommand;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code runnel} command line. Each subcommand is its own class. Only the subcommand named on the
 * command line is built (picocli reads a command's annotations and creates its objects when it is
 * added), so {@code runnel server} does not pay for the client commands; without a known subcommand
 * name, all are added, for the usage and picocli's suggestions.
 */
@Command(name = "runnel", mixinStandardHelpOptions = true, versionProvider = RunnelVersion.class,
        description = "Runnel: an event streaming platform that speaks the Apache Kafka protocol.")
public final class Runnel implements Runnable {

    /** The subcommands, in the order the usage lists them. */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("server", ServerCommand.class);
        SUBCOMMANDS.put("topic", TopicCommand.class);
        SUBCOMMANDS.put("produce", ProduceCommand.class);
        SUBCOMMANDS.put("consume", ConsumeCommand.class);
        SUBCOMMANDS.put("group", GroupCommand.class);
        SUBCOMMANDS.put("transaction", TransactionCommand.class);
        SUBCOMMANDS.put("cluster", ClusterCommand.class);
        SUBCOMMANDS.put("tls", TlsCommand.class);
        SUBCOMMANDS.put("perf", PerfCommand.class);
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line in this process's terminal and exits with its code. */
    public static void main(String[] args) {
        java.util.Optional<ServerCommand> server = ServerCommand.parsePlain(args);
        System.exit(server.isPresent() ? runServer(server.get()) : run(systemTerminal(), args));
    }

    /** {@code runnel server} on its start-up path without picocli; failures are one line, as picocli's path prints them. */
    private static int runServer(ServerCommand server) {
        try {
            return server.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (java.io.IOException e) {
            System.err.println("runnel: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Runs the command line with the given terminal (a test passes its own streams) and returns the
     * exit code: 0 for success, 1 for a failure, 2 for a usage error.
     */
    public static int run(Terminal terminal, String... args) {
        CommandLine commandLine = new CommandLine(new Runnel(), new TerminalFactory(terminal));
        String named = args.length > 0 ? args[0] : "";
        if (SUBCOMMANDS.containsKey(named)) {
            commandLine.addSubcommand(named, SUBCOMMANDS.get(named));
        } else {
            SUBCOMMANDS.forEach(commandLine::addSubcommand);
        }
        commandLine.setOut(terminal.out());
        commandLine.setErr(terminal.err());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(new UsageErrors());
        int exitCode = commandLine.execute(args);
        terminal.out().flush();
        terminal.err().flush();
        return exitCode;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Standard input, output and error in UTF-8, whatever the platform's default; Ctrl-C and SIGTERM as interrupts. */
    private static Terminal systemTerminal() {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        return new Terminal(new FileInputStream(FileDescriptor.in), out, err,
                action -> StopSignals.install().onStop(action)::closed);
    }

    /** Creates commands as picocli's default factory does, and hands client commands the terminal. */
    private record TerminalFactory(Terminal terminal) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            K created = CommandLine.defaultFactory().create(type);
            if (created instanceof ClientCommand command) {
                command.attach(terminal);
            }
            return created;
        }
    }

    /** A usage mistake: one line naming it and where help is, exit code 2 (picocli's). */
    private static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            String suggestions = e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()
                    ? " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)" : "";
            command.getErr().println("runnel: " + e.getMessage() + suggestions
                    + "; see '" + command.getCommandSpec().qualifiedName() + " --help'");
            return command.getCommandSpec().exitCodeOnInvalidInput();
        }
    }
}
