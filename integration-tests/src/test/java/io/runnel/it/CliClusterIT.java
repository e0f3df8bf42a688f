package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.Cli;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.FreePort;
import java.nio.file.Path;
import java.util.List;
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
    void shouldDescribeTheClusterIdControllerBrokersAndQuorum() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"))) {
            Cli.Result result = Cli.against(broker.bootstrapServers()).runnel("cluster", "describe");

            assertThat(result.exitCode()).isZero();
            assertThat(result.errLines()).isEmpty();
            List<String> lines = result.outLines();
            assertThat(lines).hasSize(10);
            assertThat(lines.get(0)).matches("Cluster id: [A-Za-z0-9_-]{22}");
            assertThat(lines.get(1)).isEqualTo("Controller: 1");
            assertThat(lines.get(2)).matches("BROKER  HOST       PORT +RACK  STATE");
            assertThat(lines.get(3)).matches("1 +localhost +" + broker.port() + " +- +live");
            assertThat(lines.get(4)).isEmpty();
            assertThat(lines.get(5)).isEqualTo("Quorum leader: 1");
            assertThat(lines.get(6)).isEqualTo("Leader epoch: 1");
            assertThat(lines.get(7)).matches("High watermark: [1-9][0-9]*");
            String highWatermark = lines.get(7).substring("High watermark: ".length());
            assertThat(lines.get(8)).isEqualTo("NODE  ROLE    LOG-END-OFFSET  LAG");
            assertThat(lines.get(9)).matches("1 +leader +" + highWatermark + " +0");
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
    void shouldGiveOneLineAndExitCodeOneWhenNoBrokerAnswers(String command) {
        int closedPort = FreePort.pick();
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
