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
 * An Apache Kafka node (KRaft, broker and controller in one process) on a data directory of the test's,
 * started from the jars of a Kafka distribution: the reference a crash test is compared with. The data
 * directory is formatted on the first start only, so a restart after {@link #kill()} recovers it as a
 * restarted Kafka would. Runnel-only settings ({@code runnel.*}) are left out of its configuration.
 */
final class ReferenceKafkaProcess implements CrashableBroker {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;

    private ReferenceKafkaProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ReferenceKafkaProcess start(Path libs, Path dataDir, Map<String, String> config) {
        int port = FreePort.pick();
        Path absolute = dataDir.toAbsolutePath();
        Path properties = absolute.resolveSibling(absolute.getFileName() + ".kafka.properties");
        Path log = absolute.resolveSibling(absolute.getFileName() + ".kafka.log");
        try {
            Files.writeString(properties, serverProperties(absolute, port, FreePort.pick(), config));
            if (!Files.exists(absolute.resolve("meta.properties"))) {
                run(libs, log, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString());
            }
            ReferenceKafkaProcess kafka = new ReferenceKafkaProcess(launch(libs, log, "kafka.Kafka", properties.toString()), port);
            kafka.awaitServing();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String serverProperties(Path dataDir, int port, int controllerPort, Map<String, String> config) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        properties.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", dataDir.toString());
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        config.forEach((key, value) -> {
            if (!key.startsWith("runnel.")) {
                properties.put(key, value);
            }
        });
        return properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n"));
    }

    private static void run(Path libs, Path log, String mainClass, String... args) throws IOException {
        Process tool = launch(libs, log, mainClass, args);
        try {
            if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
                throw new IllegalStateException(mainClass + " failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process launch(Path libs, Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", libs.toAbsolutePath() + "/*", mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private void awaitServing() {
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
