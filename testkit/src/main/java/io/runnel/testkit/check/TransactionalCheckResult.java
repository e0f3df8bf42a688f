package io.runnel.testkit.check;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What {@link TransactionalHistoryChecker} found: how many of each {@link TransactionalAnomaly}, a few
 * examples of each, and the counts of the history. Immutable.
 *
 * @param counts              per anomaly found, how many cases (an anomaly not found is absent)
 * @param examples            per anomaly, up to {@link TransactionalHistoryChecker#EXAMPLES} described cases
 * @param committed           transactions whose commit was acknowledged
 * @param aborted             transactions aborted
 * @param unknown             transactions whose commit was asked for but not acknowledged
 * @param unknownVisible      of those, how many a reader saw (as a whole)
 * @param acknowledgedRecords records of the acknowledged commits
 * @param readRecords         records the read_committed reader saw, repeats included
 */
public record TransactionalCheckResult(Map<TransactionalAnomaly, Integer> counts, Map<TransactionalAnomaly, List<String>> examples,
                                       int committed, int aborted, int unknown, int unknownVisible, int acknowledgedRecords,
                                       int readRecords) {

    public TransactionalCheckResult {
        counts = Map.copyOf(counts);
        examples = Map.copyOf(examples);
    }

    /** How many cases of {@code anomaly}. */
    public int count(TransactionalAnomaly anomaly) {
        return counts.getOrDefault(anomaly, 0);
    }

    /** True when no anomaly was found. */
    public boolean valid() {
        return counts.values().stream().allMatch(count -> count == 0);
    }

    /** The counts in one line, then the examples of every anomaly found, one per line. */
    public String describe() {
        StringJoiner text = new StringJoiner(System.lineSeparator());
        text.add(toString());
        examples.forEach((anomaly, cases) -> cases.forEach(example -> text.add("    " + anomaly + ": " + example)));
        return text.toString();
    }

    @Override
    public String toString() {
        StringJoiner line = new StringJoiner(", ", "transactions committed " + committed + ", aborted " + aborted + ", unknown " + unknown
                + " (visible " + unknownVisible + "); records acknowledged " + acknowledgedRecords + ", read " + readRecords + "; ", "");
        for (TransactionalAnomaly anomaly : TransactionalAnomaly.values()) {
            line.add(anomaly.name().toLowerCase(Locale.ROOT) + " " + count(anomaly));
        }
        return line.toString();
    }
}
