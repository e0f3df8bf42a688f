package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts Runnel as {@code bin/runnel server --override key=value ...} would, with the shared settings
 * and the brokers' common JVM options. Runnel needs no format step. Stateless.
 */
final class RunnelLauncher implements BrokerLauncher {

    private final Toolbox toolbox;
    private final List<String> extraJvmOptions;

    RunnelLauncher(Toolbox toolbox, List<String> extraJvmOptions) {
        this.toolbox = toolbox;
        this.extraJvmOptions = extraJvmOptions;
    }

    @Override
    public Broker broker() {
        return Broker.RUNNEL;
    }

    @Override
    public BrokerProcess start(Path dir, Path log, int port) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> arguments = new ArrayList<>(List.of("server"));
        for (Map.Entry<String, String> setting : BrokerSettings.shared(dir.resolve("data"), port).entrySet()) {
            arguments.add("--override");
            arguments.add(setting.getKey() + "=" + setting.getValue());
        }
        JavaCommand command = toolbox.runnel(toolbox.brokerOptions(extraJvmOptions), arguments);
        return Spawn.broker(Broker.RUNNEL, command, log, port);
    }
}
