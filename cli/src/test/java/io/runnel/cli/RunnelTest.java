package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.cli.client.Terminal;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line's usage, help and usage errors, which need no broker. */
class RunnelTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Terminal terminal = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
            action -> () -> { });

    @ParameterizedTest
    @ValueSource(strings = {"", "server", "topic", "topic create", "topic list", "topic describe", "topic alter", "topic delete",
        "produce", "consume", "group", "group list", "group describe", "group reset-offsets", "group delete", "transaction",
        "transaction list", "transaction describe", "cluster",
        "cluster describe", "perf", "perf produce", "perf consume", "perf e2e"})
    void shouldPrintHelpForEveryCommand(String command) {
        String[] args = (command + " --help").trim().split(" ");

        assertThat(Runnel.run(terminal, args)).isZero();
        assertThat(out.toString()).startsWith("Usage: runnel" + (command.isEmpty() ? "" : " " + command));
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"topic describe", "produce", "consume", "group list", "cluster describe", "perf produce"})
    void shouldOfferTheBootstrapServerWithItsDefaultOnEveryClientCommand(String command) {
        Runnel.run(terminal, (command + " --help").split(" "));

        assertThat(out.toString()).contains("--bootstrap-server=host:port").contains("(default: localhost:")
                .contains("--property=key=value").contains("--command-config=file");
    }

    @Test
    void shouldListEverySubcommandInTheUsage() {
        assertThat(Runnel.run(terminal)).isZero();

        assertThat(out.toString()).contains("server", "topic", "produce", "consume", "group", "transaction", "cluster", "perf");
    }

    @Test
    void shouldAnswerAMistypedSubcommandWithOneLineSuggestingTheRightOneAndExitCodeTwo() {
        assertThat(Runnel.run(terminal, "topc", "list")).isEqualTo(2);

        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("runnel: Unmatched arguments").contains("did you mean topic?").endsWith("see 'runnel --help'");
    }

    @Test
    void shouldAnswerAMissingRequiredOptionWithOneLineAndExitCodeTwo() {
        assertThat(Runnel.run(terminal, "consume")).isEqualTo(2);

        assertThat(err.toString().lines().toList())
                .isEqualTo(List.of("runnel: Missing required option: '--topic=<topic>'; see 'runnel consume --help'"));
    }
}
