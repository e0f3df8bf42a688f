package io.runnel.bench.compare;

import java.util.Locale;
import java.util.Optional;

/**
 * A target ratio Runnel/Kafka from issue 5: throughput at least 1.3×, CPU per GB at most 0.6×,
 * fixed-rate p99 and p99.9 latency at most 0.5×, RSS under load at most 0.5×, start-to-ready at
 * most 0.2×; from issue 12 for transactions: throughput at least 1.0×, CPU per GB at most 0.6×; and from
 * issue 13 over SSL and SASL_SSL: throughput at least 1.0×, CPU per GB at most 0.7×.
 *
 * @param limit the ratio to reach
 * @param atLeast whether the ratio must be at least (true) or at most (false) the limit
 */
record Target(double limit, boolean atLeast) {

    /** The target for a figure of a scenario of the given category ({@code null} for the broker's own figures). */
    static Optional<Target> of(Category category, Metric metric) {
        if (category == Category.PRODUCE || category == Category.CONSUME) {
            return switch (metric) {
                case THROUGHPUT -> Optional.of(new Target(1.3, true));
                case CPU_PER_GB -> Optional.of(new Target(0.6, false));
                default -> Optional.empty();
            };
        }
        if (category == Category.TRANSACTIONS) {
            return switch (metric) {
                case THROUGHPUT -> Optional.of(new Target(1.0, true));
                case CPU_PER_GB -> Optional.of(new Target(0.6, false));
                default -> Optional.empty();
            };
        }
        if (category == Category.TLS) {
            return switch (metric) {
                case THROUGHPUT -> Optional.of(new Target(1.0, true));
                case CPU_PER_GB -> Optional.of(new Target(0.7, false));
                default -> Optional.empty();
            };
        }
        if (category == Category.LATENCY) {
            return metric == Metric.LATENCY_P99 || metric == Metric.LATENCY_P999
                    ? Optional.of(new Target(0.5, false)) : Optional.empty();
        }
        if (category == null) {
            return switch (metric) {
                case RSS_UNDER_LOAD -> Optional.of(new Target(0.5, false));
                case START_TO_READY -> Optional.of(new Target(0.2, false));
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    boolean metBy(double ratio) {
        return atLeast ? ratio >= limit : ratio <= limit;
    }

    /** E.g. {@code ≥ 1.3×}. */
    String text() {
        return String.format(Locale.ROOT, "%s %.1f×", atLeast ? "≥" : "≤", limit);
    }
}
