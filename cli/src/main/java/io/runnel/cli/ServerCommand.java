package io.runnel.cli;

import io.runnel.broker.Broker;
import io.runnel.broker.ControllerNode;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.InvalidConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel server [server.properties] [--override key=value ...]}: runs a broker in the
 * foreground until SIGTERM or Ctrl-C, then shuts it down cleanly and exits 0. A bad configuration
 * prints one line naming the key and exits 1.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Start a broker (default: PLAINTEXT://localhost:9092, data in ./data).")
final class ServerCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "server.properties",
            description = "A properties file with Kafka's broker config names.")
    private Path propertiesFile;

    @Option(names = "--override", paramLabel = "key=value",
            description = "Set a config, over the file's value. Repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * The command for arguments of the plain form {@code server [file] [--override k=v ...]}, parsed
     * without picocli, whose reflective model costs a start a fifth of a second (docs/performance.md);
     * empty for anything else (help, a mistake), which picocli then handles as usual.
     */
    static java.util.Optional<ServerCommand> parsePlain(String[] args) {
        if (args.length == 0 || !args[0].equals("server")) {
            return java.util.Optional.empty();
        }
        ServerCommand command = new ServerCommand();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String override = arg.startsWith("--override=") ? arg.substring("--override=".length())
                    : arg.equals("--override") && i + 1 < args.length ? args[++i] : null;
            if (override != null && override.indexOf('=') > 0) {
                command.overrides.put(override.substring(0, override.indexOf('=')), override.substring(override.indexOf('=') + 1));
            } else if (override == null && !arg.startsWith("-") && command.propertiesFile == null) {
                command.propertiesFile = Path.of(arg);
            } else {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(command);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        BrokerConfig config;
        try {
            config = BrokerConfig.parse(properties());
        } catch (InvalidConfigException e) {
            System.err.println("runnel: " + e.getMessage());
            return 1;
        }
        // Handlers first: a signal that lands while the broker starts must still mean a clean stop.
        StopSignals signals = StopSignals.install();
        try {
            Runnable stop = ControllerNode.isControllerOnly(config) ? ControllerNode.start(config)::close : Broker.start(config)::close;
            signals.awaitStop();
            stop.run();
            return 0;
        } catch (InvalidConfigException e) {
            System.err.println("runnel: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            // The port is taken, a data directory is not writable, ...: one line, no stack trace.
            System.err.println("runnel: cannot start: " + e.getMessage());
            return 1;
        } finally {
            signals.closed();
        }
    }

    private Map<String, String> properties() throws IOException {
        Map<String, String> merged = new LinkedHashMap<>();
        if (propertiesFile != null) {
            if (!Files.isReadable(propertiesFile)) {
                throw new InvalidConfigException("cannot read properties file " + propertiesFile);
            }
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                file.load(reader);
            }
            file.stringPropertyNames().forEach(key -> merged.put(key, file.getProperty(key).trim()));
        }
        merged.putAll(overrides);
        return merged;
    }
}
