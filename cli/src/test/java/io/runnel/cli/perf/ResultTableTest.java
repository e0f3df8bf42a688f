package io.runnel.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void shouldAlignRowsUnderTheTitle() {
        String text = new ResultTable("title")
                .row("records", 500_000, "")
                .row("MB/s", 78.634, 2, "")
                .render();

        assertThat(text.lines()).containsExactly("title", "  records  500000", "  MB/s     78.63");
    }

    @Test
    void shouldWriteNumbersWithoutGroupingSeparators() {
        String text = new ResultTable("t").row("records/s", 1_234_567.891, 1, "").render();

        assertThat(text).contains("1234567.9");
    }

    @Test
    void shouldGiveLatencyRowsInMillisecondsFromMicroseconds() {
        LatencyHistogram micros = new LatencyHistogram();
        micros.record(40);

        String text = new ResultTable("t").latencyRows("latency", micros).render();

        assertThat(text).contains("latency p99    0.040 ms").contains("latency p99.9  0.040 ms");
    }
}
