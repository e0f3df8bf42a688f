package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Everything a run leaves behind in its results directory: {@code results.md} (what was run, the
 * machine's ceilings, the table, the failures), the CSV files and {@code chart.png}.
 */
final class Report {

    private Report() {
    }

    /** Writes the results directory and returns the text of {@code results.md}. */
    static String write(Path dir, RunInfo info, List<Ceiling> ceilings, List<Scenario> scenarios, Results results,
                        List<SummaryRow> rows) throws IOException {
        String kafkaTitle = "Kafka " + info.kafkaVersion();
        StringBuilder text = new StringBuilder(info.describe()).append('\n');
        text.append(ceilingText(ceilings, rows)).append('\n');
        text.append(SummaryTable.render(rows, kafkaTitle)).append('\n');
        text.append("Values: median [min–max] over the rounds; ratio: of the medians [range of the per-round ratios].\n");
        if (!results.failures().isEmpty()) {
            text.append("\nFailed loads:\n");
            results.failures().forEach(f -> text.append("- ").append(f.broker().title()).append(" round ").append(f.round())
                    .append(' ').append(f.scenario()).append(": ").append(f.reason()).append('\n'));
        }
        Files.writeString(dir.resolve("results.md"), text, StandardCharsets.UTF_8);
        CsvReport.write(dir, results, rows);
        ChartImage.write(dir.resolve("chart.png"),
                "Runnel vs Apache Kafka " + info.kafkaVersion() + " — " + info.started().toString().substring(0, 10)
                        + ", " + info.plan().rounds() + " round(s), one shared 2-core machine (noisy)",
                kafkaTitle, bars(scenarios, rows, Category.LATENCY), latencyTitle(scenarios), throughputBars(scenarios, rows));
        return text.toString();
    }

    private static String ceilingText(List<Ceiling> ceilings, List<SummaryRow> rows) {
        if (ceilings.isEmpty()) {
            return "Machine ceilings: not measured.\n";
        }
        StringBuilder text = new StringBuilder("Machine ceilings (MB/s) and the best median produce and consume "
                + "throughput as a fraction of each:\n\n| ceiling | MB/s | Runnel produce | Runnel consume | Kafka produce | Kafka consume |\n"
                + "|---|---|---|---|---|---|\n");
        double[] best = {best(rows, Category.PRODUCE, true), best(rows, Category.CONSUME, true),
            best(rows, Category.PRODUCE, false), best(rows, Category.CONSUME, false)};
        for (Ceiling ceiling : ceilings) {
            text.append("| ").append(ceiling.name()).append(" | ").append(Spread.number(ceiling.megabytesPerSecond()));
            for (double throughput : best) {
                text.append(" | ").append(Double.isNaN(throughput) ? "–"
                        : String.format(Locale.ROOT, "%.1f%%", 100 * throughput / ceiling.megabytesPerSecond()));
            }
            text.append(" |\n");
        }
        return text.toString();
    }

    private static double best(List<SummaryRow> rows, Category category, boolean runnel) {
        return rows.stream()
                .filter(r -> r.metric() == Metric.THROUGHPUT && r.category() == category)
                .map(r -> runnel ? r.runnel() : r.kafka())
                .flatMap(Optional::stream)
                .mapToDouble(Spread::median)
                .max().orElse(Double.NaN);
    }

    private static String latencyTitle(List<Scenario> scenarios) {
        return scenarios.stream().filter(s -> s.category() == Category.LATENCY).findFirst()
                .map(Scenario::title).orElse("");
    }

    private static List<ChartImage.Bars> bars(List<Scenario> scenarios, List<SummaryRow> rows, Category category) {
        List<ChartImage.Bars> bars = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            if (scenario.category() == category) {
                for (SummaryRow row : rows) {
                    if (row.scenario().equals(scenario.id())) {
                        bars.add(new ChartImage.Bars(row.metric().title().replace("latency ", ""), row.runnel(), row.kafka()));
                    }
                }
            }
        }
        return bars;
    }

    private static List<ChartImage.Bars> throughputBars(List<Scenario> scenarios, List<SummaryRow> rows) {
        List<ChartImage.Bars> bars = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            for (SummaryRow row : rows) {
                if (row.scenario().equals(scenario.id()) && row.metric() == Metric.THROUGHPUT) {
                    bars.add(new ChartImage.Bars(shortTitle(scenario), row.runnel(), row.kafka()));
                }
            }
        }
        return bars;
    }

    private static String shortTitle(Scenario scenario) {
        return scenario.title().replace("ProducerPerformance", "ProducerPerf").replace("ConsumerPerformance", "ConsumerPerf")
                .replace(" partitions", "p").replace(" partition", "p").replace("linger.ms=5 batch.size=256k", "linger 5/256k")
                .replace("default batching", "default");
    }
}
