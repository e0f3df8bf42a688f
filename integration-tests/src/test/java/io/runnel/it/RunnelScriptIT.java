package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/runnel} as a person runs it, in its own process (the build packages the cli module first):
 * output free of log lines, exit codes, and a consumer that stops cleanly on SIGTERM.
 */
class RunnelScriptIT {

    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("runnel");

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        assertThat(SCRIPT).as("bin/runnel next to the integration-tests module").isExecutable();
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("auto.create.topics.enable", "false"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldProduceAndConsumeThroughTheScriptAndStopTheConsumerCleanlyOnSigterm() throws Exception {
        assertThat(run("", "topic", "create", "piped", "--partitions", "2").exitCode).isZero();
        Finished produced = run("a:1\nb:2\nc:3\n", "produce", "--topic", "piped", "--key-separator", ":");
        assertThat(produced.exitCode).isZero();
        assertThat(produced.err).containsExactly("Produced 3 records to piped.");

        Process consumer = start("", "consume", "--topic", "piped", "--group", "script", "--from-beginning", "--format", "kv");
        await().atMost(Duration.ofSeconds(60)).until(() -> lines(tempDir.resolve("out")).size() == 3);
        consumer.destroy();

        assertThat(consumer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(consumer.exitValue()).isZero();
        assertThat(lines(tempDir.resolve("out"))).containsExactlyInAnyOrder("a=1", "b=2", "c=3");
        assertThat(lines(tempDir.resolve("err"))).containsExactly("Processed a total of 3 messages");
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            long committed = admin.listConsumerGroupOffsets("script").partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum();
            assertThat(committed).as("offsets committed over both partitions").isEqualTo(3);
        }
    }

    @Test
    void shouldPrintOneLineAndExitOneForAFailureTheBrokerReports() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), "taken", 1);

        Finished result = run("", "topic", "create", "taken");

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).isEmpty();
        assertThat(result.err).containsExactly("runnel: Topic 'taken' already exists.");
    }

    private record Finished(int exitCode, List<String> out, List<String> err) {
    }

    private Finished run(String stdin, String... args) throws Exception {
        Process process = start(stdin, args);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bin/runnel " + String.join(" ", args) + " finished").isTrue();
        return new Finished(process.exitValue(), lines(tempDir.resolve("out")), lines(tempDir.resolve("err")));
    }

    private Process start(String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--bootstrap-server", broker.bootstrapServers()));
        Path input = tempDir.resolve("in");
        Files.writeString(input, stdin, StandardCharsets.UTF_8);
        return new ProcessBuilder(command).redirectInput(input.toFile())
                .redirectOutput(tempDir.resolve("out").toFile()).redirectError(tempDir.resolve("err").toFile()).start();
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList();
    }
}
