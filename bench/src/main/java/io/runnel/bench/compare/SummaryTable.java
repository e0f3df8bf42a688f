package io.runnel.bench.compare;

import java.util.List;
import java.util.Optional;

/**
 * The comparison table as Markdown: per row the scenario, the figure, each broker's median with its
 * range over the rounds in brackets, the ratio of the medians with the range of the per-round ratios,
 * and the target with its verdict. A broker without values shows why.
 */
final class SummaryTable {

    private static final int MAX_REASON = 70;

    private SummaryTable() {
    }

    static String render(List<SummaryRow> rows, String kafkaTitle) {
        StringBuilder out = new StringBuilder();
        out.append("| scenario | figure | Runnel | ").append(kafkaTitle).append(" | Runnel/Kafka | target |\n");
        out.append("|---|---|---|---|---|---|\n");
        String previous = "";
        for (SummaryRow row : rows) {
            String scenario = row.title().equals(previous) ? "" : row.title();
            previous = row.title();
            out.append("| ").append(scenario)
                    .append(" | ").append(row.metric().title()).append(" (").append(row.metric().unit()).append(')')
                    .append(" | ").append(side(row.runnel(), row.runnelFailure()))
                    .append(" | ").append(side(row.kafka(), row.kafkaFailure()))
                    .append(" | ").append(ratio(row))
                    .append(" | ").append(row.target().map(t -> t.text() + " " + row.verdict()).orElse(""))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String side(Optional<Spread> values, String failure) {
        if (values.isPresent()) {
            return values.get().text();
        }
        if (failure.isEmpty()) {
            return "–";
        }
        String reason = failure.replace('|', '/').replace('\n', ' ');
        return "failed: " + (reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason);
    }

    private static String ratio(SummaryRow row) {
        if (Double.isNaN(row.ratio())) {
            return "–";
        }
        String text = Spread.number(row.ratio()) + "×";
        Optional<Spread> rounds = row.roundRatios();
        if (rounds.isPresent() && rounds.get().count() > 1) {
            text += " [" + Spread.number(rounds.get().min()) + "–" + Spread.number(rounds.get().max()) + "]";
        }
        return text;
    }
}
