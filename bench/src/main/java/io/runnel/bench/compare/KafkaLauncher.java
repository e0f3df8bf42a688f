package io.runnel.bench.compare;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * Starts Apache Kafka as {@code kafka-storage.sh format} and then {@code kafka-server-start.sh} would:
 * one combined broker and controller in KRaft mode, Kafka's default heap and JVM options, INFO logging
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
    public BrokerProcess start(Path dir, Path log, int port) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path serverProperties = writeServerProperties(dir, port, FreePort.pick());
        Path logConfig = dir.resolve("log4j2.properties");
        Files.writeString(logConfig, LOG_CONFIG, StandardCharsets.UTF_8);
        List<String> logging = List.of("-Dlog4j2.configurationFile=" + logConfig.toAbsolutePath(),
                "-Dkafka.logs.dir=" + dir.resolve("logs").toAbsolutePath());

        long formatStart = System.nanoTime();
        format(serverProperties, logging, log);
        double formatMillis = (System.nanoTime() - formatStart) / 1e6;

        JavaCommand server = toolbox.kafka(toolbox.brokerOptions(logging), "kafka.Kafka",
                List.of(serverProperties.toAbsolutePath().toString()));
        return Spawn.broker(Broker.KAFKA, server, log, port).withFormatMillis(formatMillis);
    }

    private void format(Path serverProperties, List<String> logging, Path log) throws IOException, InterruptedException {
        JavaCommand format = toolbox.kafka(logging, "kafka.tools.StorageTool", List.of("format",
                "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toAbsolutePath().toString()));
        Process process = Spawn.process(format, log);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IOException("kafka-storage format timed out; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IOException("kafka-storage format failed (exit " + process.exitValue() + "); see " + log);
        }
    }

    private static Path writeServerProperties(Path dir, int port, int controllerPort) throws IOException {
        Properties props = new Properties();
        props.putAll(BrokerSettings.shared(dir.resolve("data"), port));
        props.put("process.roles", "broker,controller");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
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
