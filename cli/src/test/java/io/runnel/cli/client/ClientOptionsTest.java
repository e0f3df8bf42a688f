package io.runnel.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClientOptionsTest {

    @TempDir
    Path tempDir;

    @Test
    void shouldBoundTimeoutsSoAnUnreachableBrokerFailsInSeconds() {
        Properties admin = parse().adminConfig();

        assertThat(admin).containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("default.api.timeout.ms", "15000").containsEntry("request.timeout.ms", "10000");
        assertThat(parse().producerConfig(Map.of(), Map.of())).containsEntry("max.block.ms", "15000");
    }

    @Test
    void shouldLowerTheRequestTimeoutWithALowerApiTimeout() {
        Properties admin = parse("--property", "default.api.timeout.ms=2000").adminConfig();

        assertThat(admin).containsEntry("default.api.timeout.ms", "2000").containsEntry("request.timeout.ms", "2000");
    }

    @Test
    void shouldLayerFileThenPropertiesThenTheCommandsSettings() throws Exception {
        Path file = tempDir.resolve("client.properties");
        Files.writeString(file, "client.id=from-file\nacks=1\nlinger.ms=7\n");

        Properties producer = parse("--bootstrap-server", "b:1", "--command-config", file.toString(), "--property", "acks=0")
                .producerConfig(Map.of("linger.ms", "9"), Map.of());

        assertThat(producer).containsEntry("bootstrap.servers", "b:1").containsEntry("client.id", "from-file")
                .containsEntry("acks", "0").containsEntry("linger.ms", "9");
    }

    @Test
    void shouldFailWithOneLineForAnUnreadableCommandConfig() {
        ClientOptions options = parse("--command-config", tempDir.resolve("missing.properties").toString());

        assertThatThrownBy(options::adminConfig).isInstanceOf(CommandFailure.class).hasMessageStartingWith("cannot read ");
    }

    private static ClientOptions parse(String... args) {
        ClientOptions options = new ClientOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
