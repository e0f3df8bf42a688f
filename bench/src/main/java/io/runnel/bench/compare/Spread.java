package io.runnel.bench.compare;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The median and range of repeated measurements of one figure.
 *
 * @param median the median (the mean of the middle two for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param count how many values
 */
record Spread(double median, double min, double max, int count) {

    /** The spread of {@code values}; empty if there are none. */
    static Optional<Spread> of(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Optional.empty();
        }
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return Optional.of(new Spread(median, sorted.get(0), sorted.get(n - 1), n));
    }

    /** The median alone, e.g. {@code 78.3}. */
    String medianText() {
        return number(median);
    }

    /** The median and, for more than one value, the range: {@code 78.3 [72.1–80.4]}. */
    String text() {
        return count < 2 ? number(median) : number(median) + " [" + number(min) + "–" + number(max) + "]";
    }

    /** A number to three significant figures or so, without grouping separators. */
    static String number(double value) {
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        String format = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, value);
    }
}
