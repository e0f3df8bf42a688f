package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.Cli;
import io.runnel.testkit.EmbeddedBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code runnel cluster describe}, and every client command's answer when no broker listens. */
class CliClusterIT {

    @TempDir
    Path tempDir;

    @Test
    void shouldDescribeTheClusterIdControllerAndBrokers() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"))) {
            Cli.Result result = Cli.against(broker.bootstrapServers()).runnel("cluster", "describe");

            assertThat(result.exitCode()).isZero();
            assertThat(result.outLines()).hasSize(4);
            assertThat(result.outLines().get(0)).matches("Cluster id: [A-Za-z0-9_-]{22}");
            assertThat(result.outLines().get(1)).isEqualTo("Controller: 1");
            assertThat(result.outLines().get(2)).isEqualTo("BROKER  HOST       PORT   RACK");
            assertThat(result.outLines().get(3)).matches("1 +localhost +" + broker.port() + " +-");
        }
    }

    @Test
    void shouldListTheApiVersionsTheBrokerServes() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"))) {
            Cli.Result result = Cli.against(broker.bootstrapServers()).runnel("cluster", "describe", "--api-versions");

            assertThat(result.exitCode()).isZero();
            assertThat(result.outLines()).contains("API versions of " + broker.bootstrapServers() + ":")
                    .anySatisfy(line -> assertThat(line).matches("API +KEY +MIN +MAX"))
                    .anySatisfy(line -> assertThat(line).matches("Produce +0 +\\d+ +\\d+"))
                    .anySatisfy(line -> assertThat(line).matches("ApiVersions +18 +0 +\\d+"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"topic list", "topic describe t", "topic create t", "topic delete t", "consume --topic t",
        "produce --topic t", "group list", "group describe g", "group delete g", "cluster describe"})
    void shouldGiveOneLineAndExitCodeOneWhenNoBrokerAnswers(String command) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String[] args = (command + " --property default.api.timeout.ms=2000 --bootstrap-server localhost:" + closedPort).split(" ");

        Cli.Result result = Cli.runWithInput("record\n", args);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().startsWith("runnel: ").contains("localhost:");
    }

    @Test
    void shouldCallAnUnresolvableBrokerAddressAUsageError() {
        Cli.Result result = Cli.run("topic", "list", "--bootstrap-server", "no-such-host.invalid:9092");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("runnel: No resolvable bootstrap urls given in bootstrap.servers");
    }
}
