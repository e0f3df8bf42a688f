package io.runnel.bench.compare;

import io.runnel.testkit.FreePort;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * Starts Apache Kafka as {@code kafka-storage.sh format} and then {@code kafka-server-start.sh} would:
 * one combined broker and controller in KRaft mode (or, for {@link #node}, one of several), Kafka's default heap and JVM options, INFO logging
 * to the console (captured in a file) as its shipped log configuration does. Stateless.
 */
final class KafkaLauncher implements BrokerLauncher {

    private static final String LOG_CONFIG = String.join("\n",
            "status = warn",
            "appender.console.type = Console",
            "appender.console.name = STDOUT",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.stdout.ref = STDOUT",
            "");

    private final Toolbox toolbox;

    KafkaLauncher(Toolbox toolbox) {
        this.toolbox = toolbox;
    }

    @Override
    public Broker broker() {
        return Broker.KAFKA;
    }

    @Override
    public BrokerProcess start(Path dir, Path log, ClientListeners listeners, Map<String, String> security)
            throws IOException, InterruptedException {
        int port = listeners.plaintextPort();
        Map<String, String> settings = BrokerSettings.withClientListeners(
                BrokerSettings.combined(dir.resolve("data"), 1, port, Map.of(1, FreePort.pick())), listeners, security);
        long formatStart = System.nanoTime();
        JavaCommand server = node(dir, log, settings, Uuid.randomUuid().toString());
        double formatMillis = (System.nanoTime() - formatStart) / 1e6;
        return Spawn.broker(Broker.KAFKA, server, log, port).withFormatMillis(formatMillis);
    }

    @Override
    public JavaCommand node(Path dir, Path log, Map<String, String> settings, String clusterId)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path serverProperties = writeServerProperties(dir, settings);
        Path logConfig = dir.resolve("log4j2.properties");
        Files.writeString(logConfig, LOG_CONFIG, StandardCharsets.UTF_8);
        List<String> logging = List.of("-Dlog4j2.configurationFile=" + logConfig.toAbsolutePath(),
                "-Dkafka.logs.dir=" + dir.resolve("logs").toAbsolutePath());
        format(serverProperties, logging, log, clusterId);
        return toolbox.kafka(toolbox.brokerOptions(logging), "kafka.Kafka", List.of(serverProperties.toAbsolutePath().toString()));
    }

    /** {@code kafka-storage format -t <id>}: with static {@code controller.quorum.voters}, the same id on every node. */
    private void format(Path serverProperties, List<String> logging, Path log, String clusterId)
            throws IOException, InterruptedException {
        JavaCommand format = toolbox.kafka(logging, "kafka.tools.StorageTool", List.of("format",
                "-t", clusterId, "-c", serverProperties.toAbsolutePath().toString()));
        Process process = Spawn.process(format, log);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IOException("kafka-storage format timed out; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IOException("kafka-storage format failed (exit " + process.exitValue() + "); see " + log);
        }
    }

    /** Every listener but the controller's, which Kafka refuses in {@code advertised.listeners}. */
    private static String clientListeners(String listeners) {
        return Arrays.stream(listeners.split(",")).filter(l -> !l.startsWith("CONTROLLER:")).collect(Collectors.joining(","));
    }

    /** The shared KRaft settings plus what Kafka's shipped {@code server.properties} adds for one machine. */
    private static Path writeServerProperties(Path dir, Map<String, String> settings) throws IOException {
        Properties props = new Properties();
        props.putAll(settings);
        props.put("advertised.listeners", clientListeners(settings.get("listeners")));
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        Path file = dir.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(writer, "Apache Kafka for the side-by-side comparison (bench/compare)");
        }
        return file;
    }
}
