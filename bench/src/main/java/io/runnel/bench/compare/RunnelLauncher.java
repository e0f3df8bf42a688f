package io.runnel.bench.compare;

import io.runnel.testkit.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts Runnel as {@code bin/runnel server --override key=value ...} does, with the shared settings
 * and the brokers' common JVM options. Runnel needs no format step. Like {@code bin/runnel}, it starts
 * the broker with the application class-data archive {@code cli/target/cds/server.jsa}, which
 * {@link #prepare} records once, unmeasured, when the build is newer than the archive. Stateless but
 * for that file.
 *
 * <p>Every Runnel process runs with transactions on ({@value #TRANSACTIONS_ENABLE}, an internal
 * switch that is off by default while issue 12 is unfinished): Kafka always runs its transaction
 * coordinator, so this is the like-for-like setting, and the transactional scenarios need it. It adds
 * the coordinator and its APIs; the produce and fetch paths of non-transactional clients are the same.
 */
final class RunnelLauncher implements BrokerLauncher {

    /** Runnel's internal switch that serves the transaction coordinator and its APIs. */
    static final String TRANSACTIONS_ENABLE = "runnel.transactions.enable";

    private final Toolbox toolbox;
    private final List<String> extraJvmOptions;
    /** Runnel's own settings given on the command line (e.g. runnel.ssl.provider), which Kafka would not know. */
    private final Map<String, String> extraSettings;

    RunnelLauncher(Toolbox toolbox, List<String> extraJvmOptions, Map<String, String> extraSettings) {
        this.toolbox = toolbox;
        this.extraJvmOptions = extraJvmOptions;
        this.extraSettings = Map.copyOf(extraSettings);
    }

    @Override
    public Broker broker() {
        return Broker.RUNNEL;
    }

    /**
     * Records the class-data archive as {@code bin/runnel}'s first start after a build does: a start
     * in {@code dir} that exits once ready. Does nothing if the archive is newer than the build.
     */
    void prepare(Path dir, Path log) throws IOException, InterruptedException {
        Path archive = archive();
        if (Files.exists(archive) && Files.getLastModifiedTime(archive).compareTo(newestBuildFile()) > 0) {
            return;
        }
        Files.createDirectories(archive.getParent());
        Files.deleteIfExists(archive);
        int port = FreePort.pick();
        Map<String, String> settings = BrokerSettings.shared(dir.resolve("data"), port);
        try (BrokerProcess ignored = spawn(dir, log, settings, port, List.of("-XX:ArchiveClassesAtExit=" + archive))) {
            // Stopped (SIGTERM) when closed: the JVM writes the archive as it exits.
        }
    }

    @Override
    public BrokerProcess start(Path dir, Path log, ClientListeners listeners, Map<String, String> security)
            throws IOException, InterruptedException {
        Map<String, String> settings = BrokerSettings.withClientListeners(
                BrokerSettings.shared(dir.resolve("data"), listeners.plaintextPort()), listeners, security);
        return spawn(dir, log, settings, listeners.plaintextPort(), sharedArchive());
    }

    /** A cluster node: the settings, with the metrics port every Runnel start here gets (see {@link #command}). */
    @Override
    public JavaCommand node(Path dir, Path log, Map<String, String> settings, String clusterId) throws IOException {
        return command(dir, settings, sharedArchive());
    }

    /** Starts with the class-data archive, if {@link #prepare} recorded one. */
    private List<String> sharedArchive() {
        Path archive = archive();
        return Files.exists(archive) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
    }

    private BrokerProcess spawn(Path dir, Path log, Map<String, String> settings, int port, List<String> classDataOptions)
            throws IOException, InterruptedException {
        JavaCommand command = command(dir, settings, classDataOptions);
        return Spawn.broker(Broker.RUNNEL, command, log, port);
    }

    private JavaCommand command(Path dir, Map<String, String> settings, List<String> classDataOptions) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> runnelSettings = new LinkedHashMap<>(settings);
        runnelSettings.put(TRANSACTIONS_ENABLE, "true");
        // Any free port: three nodes, or another engineer's benchmark, must fit on one machine beside this one.
        runnelSettings.put("metrics.port", "0");
        runnelSettings.putAll(extraSettings);
        List<String> arguments = new ArrayList<>(List.of("server"));
        for (Map.Entry<String, String> setting : runnelSettings.entrySet()) {
            arguments.add("--override");
            arguments.add(setting.getKey() + "=" + setting.getValue());
        }
        List<String> options = new ArrayList<>(classDataOptions);
        options.addAll(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        options.addAll(extraJvmOptions);
        return toolbox.runnel(toolbox.brokerOptions(options), arguments);
    }

    /** Where {@code bin/runnel} keeps the server's class-data archive. */
    private Path archive() {
        return toolbox.runnelHome().resolve("cli/target/cds/server.jsa");
    }

    private FileTime newestBuildFile() throws IOException {
        Path target = toolbox.runnelHome().resolve("cli/target");
        try (Stream<Path> files = Stream.concat(Files.list(target), Files.list(target.resolve("lib")))) {
            FileTime newest = FileTime.fromMillis(0);
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                FileTime modified = Files.getLastModifiedTime(file);
                newest = modified.compareTo(newest) > 0 ? modified : newest;
            }
            return newest;
        }
    }
}
