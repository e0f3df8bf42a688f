package io.runnel.testkit.check;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What {@link HistoryChecker} found in a history: how many of each {@link Anomaly}, a few examples of
 * each, and the counts of the history's operations. Immutable.
 *
 * @param counts                per anomaly, how many cases (every anomaly present, 0 when none)
 * @param examples              per anomaly, up to {@link HistoryChecker#EXAMPLES} described cases
 * @param sends                 send attempts
 * @param acknowledged          sends acknowledged
 * @param failed                sends that certainly failed
 * @param indeterminate         sends whose outcome is unknown (timed out, or no answer before the end)
 * @param polledRecords         records returned by the consumers' polls, repeats included
 * @param finalReadRecords      records of the final read
 * @param finalReadIncomplete   partitions the final read could not read to the end (lost writes there
 *                              may be an artefact of the read)
 */
public record CheckResult(Map<Anomaly, Integer> counts, Map<Anomaly, List<String>> examples, int sends, int acknowledged, int failed,
                          int indeterminate, int polledRecords, int finalReadRecords, Set<Integer> finalReadIncomplete) {

    public CheckResult {
        EnumMap<Anomaly, Integer> all = new EnumMap<>(Anomaly.class);
        for (Anomaly anomaly : Anomaly.values()) {
            all.put(anomaly, counts.getOrDefault(anomaly, 0));
        }
        counts = Map.copyOf(all);
        examples = Map.copyOf(examples);
        finalReadIncomplete = Set.copyOf(finalReadIncomplete);
    }

    /** How many cases of {@code anomaly}. */
    public int count(Anomaly anomaly) {
        return counts.get(anomaly);
    }

    /** Up to a few described cases of {@code anomaly}. */
    public List<String> examples(Anomaly anomaly) {
        return examples.getOrDefault(anomaly, List.of());
    }

    /** True when no anomaly was found and the final read was complete. */
    public boolean valid() {
        return counts.values().stream().allMatch(count -> count == 0) && finalReadIncomplete.isEmpty();
    }

    /** Every anomaly with a non-zero count, with its examples, one per line; "no anomalies" when valid. */
    public String describe() {
        List<String> lines = new ArrayList<>();
        for (Anomaly anomaly : Anomaly.values()) {
            if (count(anomaly) > 0) {
                lines.add(anomaly.jepsenName() + ": " + count(anomaly));
                examples(anomaly).forEach(example -> lines.add("    " + example));
            }
        }
        if (!finalReadIncomplete.isEmpty()) {
            lines.add("final read incomplete in partitions " + finalReadIncomplete);
        }
        return lines.isEmpty() ? "no anomalies" : String.join(System.lineSeparator(), lines);
    }

    /** One line: the operation counts and every anomaly's count. */
    @Override
    public String toString() {
        StringJoiner line = new StringJoiner(", ", "sends " + sends + " (acknowledged " + acknowledged + ", failed " + failed
                + ", indeterminate " + indeterminate + "), polled " + polledRecords + ", final read " + finalReadRecords + "; ", "");
        for (Anomaly anomaly : Anomaly.values()) {
            line.add(anomaly.jepsenName() + " " + count(anomaly));
        }
        return line.toString();
    }
}
