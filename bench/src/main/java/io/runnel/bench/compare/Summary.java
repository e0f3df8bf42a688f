package io.runnel.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a run's {@link Results} into the rows of the comparison table: for each scenario the figures
 * that matter for its category, then the broker's own figures. A side with no values says why (the
 * first failure's reason).
 */
final class Summary {

    private Summary() {
    }

    static List<SummaryRow> of(List<Scenario> scenarios, Results results, int rounds) {
        List<SummaryRow> rows = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            for (Metric metric : tableMetrics(scenario.category())) {
                rows.add(row(scenario.id(), scenario.title(), scenario.category(), metric, results, rounds));
            }
        }
        for (Metric metric : List.of(Metric.START_TO_READY, Metric.FORMAT, Metric.RSS_IDLE, Metric.RSS_UNDER_LOAD)) {
            rows.add(row(Results.BROKER, "broker process", null, metric, results, rounds));
        }
        return rows;
    }

    /** The figures the table shows for a category; the CSV has every figure. */
    static List<Metric> tableMetrics(Category category) {
        return switch (category) {
            case PRODUCE, CONSUME, TRANSACTIONS, TLS -> List.of(Metric.THROUGHPUT, Metric.CPU_PER_GB);
            case LATENCY -> List.of(Metric.LATENCY_P50, Metric.LATENCY_P99, Metric.LATENCY_P999);
            case ROUND_TRIP -> List.of(Metric.LATENCY_AVG, Metric.LATENCY_P99);
        };
    }

    private static SummaryRow row(String scenario, String title, Category category, Metric metric, Results results,
                                  int rounds) {
        Optional<Spread> runnel = Spread.of(results.values(Broker.RUNNEL, scenario, metric));
        Optional<Spread> kafka = Spread.of(results.values(Broker.KAFKA, scenario, metric));
        double ratio = runnel.isPresent() && kafka.isPresent() && kafka.get().median() != 0
                ? runnel.get().median() / kafka.get().median() : Double.NaN;
        List<Double> perRound = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double r = results.value(Broker.RUNNEL, round, scenario, metric);
            double k = results.value(Broker.KAFKA, round, scenario, metric);
            if (!Double.isNaN(r) && !Double.isNaN(k) && k != 0) {
                perRound.add(r / k);
            }
        }
        return new SummaryRow(scenario, title, category, metric, runnel, kafka, ratio, Spread.of(perRound),
                Target.of(category, metric), failure(results, Broker.RUNNEL, scenario), failure(results, Broker.KAFKA, scenario));
    }

    private static String failure(Results results, Broker broker, String scenario) {
        return results.failures(broker, scenario).stream().findFirst().map(Results.Failure::reason).orElse("");
    }
}
