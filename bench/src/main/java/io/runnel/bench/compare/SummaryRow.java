package io.runnel.bench.compare;

import java.util.Optional;

/**
 * One line of the comparison table: one figure of one scenario, for both brokers, with the ratio.
 *
 * @param scenario the scenario id ({@link Results#BROKER} for the broker's own figures)
 * @param title the scenario's title
 * @param category the scenario's category; {@code null} for the broker's own figures
 * @param metric the figure
 * @param runnel Runnel's values, if any run completed
 * @param kafka Kafka's values, if any run completed
 * @param ratio median(Runnel) / median(Kafka), NaN if either is missing or Kafka's is 0
 * @param roundRatios the spread of the per-round ratios
 * @param target the target ratio, if issue 5 sets one
 * @param runnelFailure why Runnel has no values ("" if it has)
 * @param kafkaFailure why Kafka has no values ("" if it has)
 */
record SummaryRow(String scenario, String title, Category category, Metric metric, Optional<Spread> runnel, Optional<Spread> kafka,
                  double ratio, Optional<Spread> roundRatios, Optional<Target> target,
                  String runnelFailure, String kafkaFailure) {

    /** "met", "missed", "" (no target) or "n/a" (no ratio). */
    String verdict() {
        if (target.isEmpty()) {
            return "";
        }
        if (Double.isNaN(ratio)) {
            return "n/a";
        }
        return target.get().metBy(ratio) ? "met" : "missed";
    }
}
