package io.runnel.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private static final Scenario PRODUCE = new Scenario("pp", "produce", Category.PRODUCE,
            new ProducerPerformanceLoad(new TopicSpec("pp", 1), 10, Map.of()));

    @Test
    void shouldGiveTheMedianAndRangeOfEachSide() {
        assertThat(Spread.of(List.of(3.0, 1.0, 2.0))).contains(new Spread(2.0, 1.0, 3.0, 3));
        assertThat(Spread.of(List.of(4.0, 1.0))).contains(new Spread(2.5, 1.0, 4.0, 2));
        assertThat(Spread.of(List.of())).isEmpty();
    }

    @Test
    void shouldRateRunnelAgainstKafkaByTheirMediansAndEachRound() {
        Results results = new Results();
        results.add(Broker.RUNNEL, 1, "pp", Metric.THROUGHPUT, 130);
        results.add(Broker.KAFKA, 1, "pp", Metric.THROUGHPUT, 100);
        results.add(Broker.RUNNEL, 2, "pp", Metric.THROUGHPUT, 150);
        results.add(Broker.KAFKA, 2, "pp", Metric.THROUGHPUT, 100);

        SummaryRow row = throughputRow(Summary.of(List.of(PRODUCE), results, 2));

        assertThat(row.ratio()).isCloseTo(1.4, within(1e-9));
        assertThat(row.roundRatios().orElseThrow().min()).isCloseTo(1.3, within(1e-9));
        assertThat(row.roundRatios().orElseThrow().max()).isCloseTo(1.5, within(1e-9));
        assertThat(row.verdict()).isEqualTo("met");
    }

    @Test
    void shouldSayWhyASideHasNoValues() {
        Results results = new Results();
        results.add(Broker.KAFKA, 1, "pp", Metric.THROUGHPUT, 100);
        results.fail(Broker.RUNNEL, 1, "pp", "exit 1: UnsupportedVersionException");

        SummaryRow row = throughputRow(Summary.of(List.of(PRODUCE), results, 1));

        assertThat(row.verdict()).isEqualTo("n/a");
        assertThat(SummaryTable.render(List.of(row), "Kafka 4.3.1")).contains("failed: exit 1: UnsupportedVersionException");
    }

    @Test
    void shouldHoldLowerIsBetterFiguresToAnUpperLimit() {
        assertThat(Target.of(Category.PRODUCE, Metric.CPU_PER_GB).orElseThrow().metBy(0.5)).isTrue();
        assertThat(Target.of(Category.LATENCY, Metric.LATENCY_P999).orElseThrow().metBy(0.8)).isFalse();
        assertThat(Target.of(null, Metric.START_TO_READY).orElseThrow().metBy(0.19)).isTrue();
        assertThat(Target.of(Category.LATENCY, Metric.LATENCY_P50)).isEmpty();
    }

    @Test
    void shouldHoldTransactionsToIssue12sTargetsNotIssue5s() {
        assertThat(Target.of(Category.TRANSACTIONS, Metric.THROUGHPUT).orElseThrow().metBy(1.05)).isTrue();
        assertThat(Target.of(Category.PRODUCE, Metric.THROUGHPUT).orElseThrow().metBy(1.05)).isFalse();
        assertThat(Target.of(Category.TRANSACTIONS, Metric.CPU_PER_GB).orElseThrow().metBy(0.65)).isFalse();
    }

    private static SummaryRow throughputRow(List<SummaryRow> rows) {
        return rows.stream().filter(r -> r.metric() == Metric.THROUGHPUT).findFirst().orElseThrow();
    }
}
