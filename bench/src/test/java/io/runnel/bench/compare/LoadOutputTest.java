package io.runnel.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadOutputTest {

    private static final TopicSpec TOPIC = new TopicSpec("t", 1);

    @Test
    void shouldReadTheFinalSummaryOfProducerPerformanceNotAProgressLine() throws Exception {
        String output = """
                5000 records sent, 999.8 records/sec (0.98 MB/sec), 3.1 ms avg latency, 40.0 ms max latency.
                30000 records sent, 8340.283570 records/sec (8.14 MB/sec), 1662.67 ms avg latency, 2377.00 ms max latency, \
                1761 ms 50th, 2348 ms 95th, 2372 ms 99th, 2377 ms 99.9th.
                """;

        Map<Metric, Double> figures = new ProducerPerformanceLoad(TOPIC, 30_000, Map.of()).parse(output);

        assertThat(figures).containsEntry(Metric.THROUGHPUT, 8.14)
                .containsEntry(Metric.RECORDS_PER_SECOND, 8340.283570)
                .containsEntry(Metric.LATENCY_P50, 1761.0)
                .containsEntry(Metric.LATENCY_P99, 2372.0)
                .containsEntry(Metric.LATENCY_P999, 2377.0);
    }

    @Test
    void shouldFailAProducerRunThatSentFewerRecordsThanAsked() {
        String output = "10 records sent, 1.0 records/sec (0.00 MB/sec), 1.0 ms avg latency, 1.0 ms max latency, "
                + "1 ms 50th, 1 ms 95th, 1 ms 99th, 1 ms 99.9th.";

        assertThatThrownBy(() -> new ProducerPerformanceLoad(TOPIC, 30_000, Map.of()).parse(output))
                .isInstanceOf(LoadFailedException.class).hasMessageContaining("10 of 30000");
    }

    @Test
    void shouldReadTheFetchThroughputOfConsumerPerformance() throws Exception {
        String output = """
                start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, \
                fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
                2026-11-22 02:06:11:030, 2026-11-22 02:06:13:490, 29.2969, 11.9093, 30000, 12195.1220, 1456, 1004, \
                29.1802, 29880.4781
                """;

        Map<Metric, Double> figures = new ConsumerPerformanceLoad(TOPIC, 30_000).parse(output);

        assertThat(figures).containsEntry(Metric.THROUGHPUT, 29.1802).containsEntry(Metric.RECORDS_PER_SECOND, 29880.4781);
    }

    @Test
    void shouldFailAConsumerRunThatStoppedShort() {
        String output = """
                start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, \
                fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
                2026-11-22 02:06:11:030, 2026-11-22 02:06:13:490, 1.0, 1.0, 1000, 1.0, 1, 1, 1.0, 1.0
                """;

        assertThatThrownBy(() -> new ConsumerPerformanceLoad(TOPIC, 30_000).parse(output))
                .isInstanceOf(LoadFailedException.class).hasMessageContaining("1000.0 of 30000");
    }

    @Test
    void shouldReadEndToEndLatency() throws Exception {
        String output = "0\t229.802639\nAvg latency: 8.2657 ms\nPercentiles: 50th = 6, 99th = 36, 99.9th = 229\n";

        Map<Metric, Double> figures = new EndToEndLatencyLoad(TOPIC, 500).parse(output);

        assertThat(figures).containsEntry(Metric.LATENCY_AVG, 8.2657).containsEntry(Metric.LATENCY_P99, 36.0);
    }

    @Test
    void shouldReadTheRowsOfARunnelPerfTable() throws Exception {
        String output = """
                1000 records received, 999.0 records/s (0.98 MB/s), latency p50 1.0 ms, p99 2.0 ms, max 3.0 ms
                runnel perf e2e: 3000 records at 1000.0/s through e2e-p1
                  records        3000
                  latency p50    18.943 ms
                  latency p99    163.839 ms
                  latency p99.9  184.319 ms
                """;

        Map<Metric, Double> figures = RunnelPerfLoad.endToEnd(TOPIC, 3000, 1000, 0).parse(output);

        assertThat(figures).containsOnlyKeys(Metric.LATENCY_P50, Metric.LATENCY_P99, Metric.LATENCY_P999)
                .containsEntry(Metric.LATENCY_P99, 163.839);
    }

    @Test
    void shouldFailARunnelPerfRunWithoutATable() {
        assertThatThrownBy(() -> RunnelPerfLoad.consume(TOPIC, 10).parse("runnel perf: cannot connect\n"))
                .isInstanceOf(LoadFailedException.class).hasMessageContaining("cannot connect");
    }
}
