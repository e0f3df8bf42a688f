package io.runnel.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void shouldPrintNothingBeforeTheIntervalIsOver() {
        ProgressLine progress = new ProgressLine(out, "sent", 1000, 0);

        progress.record(1024, 500, SECOND / 2);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldPrintTheRateOfTheLastIntervalOnly() {
        ProgressLine progress = new ProgressLine(out, "sent", 1000, 0);
        for (int i = 0; i < 100; i++) {
            progress.record(1024 * 1024, 2000, SECOND / 2);
        }
        progress.maybePrint(SECOND);
        progress.record(1024 * 1024, -1, 3 * SECOND);

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "100 records sent, 100.0 records/s (100.00 MB/s), latency p50 2.0 ms, p99 2.0 ms, max 2.0 ms",
                "101 records sent, 0.5 records/s (0.50 MB/s)");
    }

    @Test
    void shouldStayQuietWithAZeroInterval() {
        ProgressLine progress = new ProgressLine(out, "sent", 0, 0);

        progress.record(1, 1, 100 * SECOND);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
