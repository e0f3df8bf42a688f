package io.runnel.cli.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The final table a perf command prints: one row per figure, name, value and unit, aligned:
 * <pre>
 * runnel perf produce: 500000 records to perf-test
 *   records/s        80515.30
 *   MB/s             78.63
 *   latency p99      12.251 ms
 * </pre>
 * Values carry no thousands separators, so a script can read a row with a regular expression on
 * its name ({@code io.runnel.bench.compare} does). Not thread-safe; built and printed by one thread.
 */
public final class ResultTable {

    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    /** A table under the given first line. */
    public ResultTable(String title) {
        this.title = title;
    }

    /** Adds a row with a whole number. */
    public ResultTable row(String name, long value, String unit) {
        rows.add(new String[] {name, Long.toString(value), unit});
        return this;
    }

    /** Adds a row with a number shown to {@code decimals} places. */
    public ResultTable row(String name, double value, int decimals, String unit) {
        rows.add(new String[] {name, String.format(Locale.ROOT, "%." + decimals + "f", value), unit});
        return this;
    }

    /** Adds the latency rows (p50, p95, p99, p99.9, max, mean) of a histogram of microseconds, in ms. */
    public ResultTable latencyRows(String prefix, LatencyHistogram micros) {
        row(prefix + " p50", Rates.millis(micros.percentile(50)), 3, "ms");
        row(prefix + " p95", Rates.millis(micros.percentile(95)), 3, "ms");
        row(prefix + " p99", Rates.millis(micros.percentile(99)), 3, "ms");
        row(prefix + " p99.9", Rates.millis(micros.percentile(99.9)), 3, "ms");
        row(prefix + " max", Rates.millis(micros.max()), 3, "ms");
        return row(prefix + " mean", micros.mean() / 1000.0, 3, "ms");
    }

    /** The table as text, ending with a line break. */
    public String render() {
        int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
        StringBuilder out = new StringBuilder(title).append(System.lineSeparator());
        for (String[] row : rows) {
            String line = String.format(Locale.ROOT, "  %-" + width + "s  %s %s", row[0], row[1], row[2]);
            out.append(line.stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }
}
