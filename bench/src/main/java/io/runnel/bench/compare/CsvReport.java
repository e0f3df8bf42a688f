package io.runnel.bench.compare;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes a run as CSV: {@code samples.csv} (every figure of every round), {@code failures.csv} and
 * {@code summary.csv} (the table's rows with medians, ranges, ratios and verdicts).
 */
final class CsvReport {

    private CsvReport() {
    }

    static void write(Path dir, Results results, List<SummaryRow> rows) throws IOException {
        try (PrintWriter csv = writer(dir.resolve("samples.csv"))) {
            csv.println("broker,round,scenario,metric,unit,value");
            for (Results.Sample s : results.samples()) {
                csv.printf(Locale.ROOT, "%s,%d,%s,%s,%s,%.6f%n", s.broker().id(), s.round(), s.scenario(),
                        quote(s.metric().title()), quote(s.metric().unit()), s.value());
            }
        }
        try (PrintWriter csv = writer(dir.resolve("failures.csv"))) {
            csv.println("broker,round,scenario,reason");
            for (Results.Failure f : results.failures()) {
                csv.printf(Locale.ROOT, "%s,%d,%s,%s%n", f.broker().id(), f.round(), f.scenario(), quote(f.reason()));
            }
        }
        try (PrintWriter csv = writer(dir.resolve("summary.csv"))) {
            csv.println("scenario,title,metric,unit,runnel_median,runnel_min,runnel_max,kafka_median,kafka_min,kafka_max,"
                    + "ratio,ratio_min,ratio_max,target,verdict");
            for (SummaryRow row : rows) {
                csv.println(String.join(",", row.scenario(), quote(row.title()), quote(row.metric().title()),
                        quote(row.metric().unit()), spread(row.runnel()), spread(row.kafka()), number(row.ratio()),
                        row.roundRatios().map(r -> number(r.min()) + "," + number(r.max())).orElse(","),
                        quote(row.target().map(Target::text).orElse("")), row.verdict()));
            }
        }
    }

    private static PrintWriter writer(Path file) throws IOException {
        return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    private static String spread(Optional<Spread> spread) {
        return spread.map(s -> number(s.median()) + "," + number(s.min()) + "," + number(s.max())).orElse(",,");
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
