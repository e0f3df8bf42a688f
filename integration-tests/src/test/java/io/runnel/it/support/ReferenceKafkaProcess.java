package io.runnel.it.support;

import static org.awaitility.Awaitility.await;

import io.runnel.testkit.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * An Apache Kafka node (KRaft) on a data directory of the test's, started from the jars of a Kafka
 * distribution: the reference a crash test is compared with. The data directory is formatted on the first
 * start only, so a restart after {@link #kill()} recovers it as a restarted Kafka would. Runnel-only settings
 * ({@code runnel.*}, {@code metrics.port}) are left out of its configuration. Alone ({@link #start}) it is
 * broker and controller in one process; {@link ReferenceKafkaCluster} starts several.
 */
final class ReferenceKafkaProcess implements CrashableBroker {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;

    private ReferenceKafkaProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A single-node Kafka on {@code dataDir} with {@code config} over the defaults of a one-node recipe, serving on return. */
    static ReferenceKafkaProcess start(Path libs, Path dataDir, Map<String, String> config) {
        int port = FreePort.pick();
        int controllerPort = FreePort.pick();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        properties.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", dataDir.toAbsolutePath().toString());
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.putAll(config);
        ReferenceKafkaProcess kafka = launch(libs, dataDir, Uuid.randomUuid().toString(), port, properties, List.of());
        kafka.awaitServing();
        return kafka;
    }

    /**
     * Launches a Kafka node with exactly {@code config} (less Runnel's own keys), formatting {@code dataDir} with
     * {@code clusterId} first if it has never been formatted, without waiting for it to serve: the voters of a
     * cluster serve only once a majority of them runs.
     *
     * @param port       the port clients reach it on, for {@link #bootstrapServers()}
     * @param jvmOptions extra options of its JVM (a hosts file of its own, for linked nodes)
     */
    static ReferenceKafkaProcess launch(Path libs, Path dataDir, String clusterId, int port, Map<String, String> config, List<String> jvmOptions) {
        Path absolute = dataDir.toAbsolutePath();
        Path properties = absolute.resolveSibling(absolute.getFileName() + ".kafka.properties");
        Path log = absolute.resolveSibling(absolute.getFileName() + ".kafka.log");
        try {
            Files.writeString(properties, serverProperties(config));
            if (!Files.exists(absolute.resolve("meta.properties"))) {
                run(libs, log, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString());
            }
            return new ReferenceKafkaProcess(java(libs, log, jvmOptions, "kafka.Kafka", properties.toString()), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String serverProperties(Map<String, String> config) {
        return config.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("runnel.") && !e.getKey().equals("metrics.port"))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static void run(Path libs, Path log, String mainClass, String... args) throws IOException {
        Process tool = java(libs, log, List.of(), mainClass, args);
        try {
            if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
                throw new IllegalStateException(mainClass + " failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process java(Path libs, Path log, List<String> jvmOptions, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", libs.toAbsolutePath() + "/*", mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits until the node answers clients with a cluster of at least one broker. */
    void awaitServing() {
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue());
            }
            try (Admin admin = KafkaClients.admin(bootstrapServers())) {
                return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
            }
        });
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            awaitExit();
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
