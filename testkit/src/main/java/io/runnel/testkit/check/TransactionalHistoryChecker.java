package io.runnel.testkit.check;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what a read_committed reader saw against the transactions producers sent (issue 12, piece 12),
 * in the manner of Jepsen's transactional Kafka checks:
 * <ul>
 *   <li>it never sees a record of an aborted transaction ({@link TransactionalAnomaly#ABORTED_READ});</li>
 *   <li>it sees each record of an acknowledged commit ({@link TransactionalAnomaly#LOST_COMMIT}), once
 *       ({@link TransactionalAnomaly#DUPLICATE}), in the partition it was sent to
 *       ({@link TransactionalAnomaly#PHANTOM_READ});</li>
 *   <li>per producer and partition, in the order it was sent, over all its transactions
 *       ({@link TransactionalAnomaly#NONMONOTONIC_READ});</li>
 *   <li>a transaction is visible whole or not at all, whatever its outcome: none is seen on one partition
 *       and missing (aborted) on another ({@link TransactionalAnomaly#PARTIAL_TRANSACTION}).</li>
 * </ul>
 * The reader's view is given per partition in offset order. Stateless and thread-safe.
 */
public final class TransactionalHistoryChecker {

    /** How many examples of each anomaly a result keeps. */
    public static final int EXAMPLES = 5;

    private TransactionalHistoryChecker() {
    }

    /** Where a value was sent: its transaction, its partition, and its rank among its producer's values there. */
    private record Sent(SentTransaction transaction, int partition, int rank) {
    }

    /**
     * Checks a history.
     *
     * @param transactions every transaction sent, each producer's in the order it sent them
     * @param read         per partition, the values a read_committed reader saw, in offset order
     */
    public static TransactionalCheckResult check(List<SentTransaction> transactions, Map<Integer, List<String>> read) {
        Map<String, Sent> sent = index(transactions);
        Findings findings = new Findings();
        Map<SentTransaction, Integer> seenPerTransaction = new HashMap<>();
        Map<String, Integer> timesSeen = new HashMap<>();
        int readRecords = 0;
        for (Map.Entry<Integer, List<String>> partition : read.entrySet()) {
            Map<String, Integer> lastRankPerProducer = new HashMap<>();
            for (String value : partition.getValue()) {
                readRecords++;
                Sent where = sent.get(value);
                if (where == null || where.partition() != partition.getKey()) {
                    findings.add(TransactionalAnomaly.PHANTOM_READ, value + " in partition " + partition.getKey());
                    continue;
                }
                if (timesSeen.merge(value, 1, Integer::sum) > 1) {
                    findings.add(TransactionalAnomaly.DUPLICATE, value + " in partition " + partition.getKey());
                    continue;
                }
                seenPerTransaction.merge(where.transaction(), 1, Integer::sum);
                if (where.transaction().outcome() == TransactionOutcome.ABORTED) {
                    findings.add(TransactionalAnomaly.ABORTED_READ, value + " in partition " + partition.getKey());
                }
                Integer previous = lastRankPerProducer.put(where.transaction().producer(), where.rank());
                if (previous != null && previous > where.rank()) {
                    findings.add(TransactionalAnomaly.NONMONOTONIC_READ, value + " after a later value of " + where.transaction().producer()
                            + " in partition " + partition.getKey());
                }
            }
        }
        return summarize(transactions, sent, timesSeen, seenPerTransaction, findings, readRecords);
    }

    private static TransactionalCheckResult summarize(List<SentTransaction> transactions, Map<String, Sent> sent, Map<String, Integer> timesSeen,
                                                      Map<SentTransaction, Integer> seenPerTransaction, Findings findings, int readRecords) {
        for (Map.Entry<String, Sent> value : sent.entrySet()) {
            if (value.getValue().transaction().outcome() == TransactionOutcome.COMMITTED && !timesSeen.containsKey(value.getKey())) {
                findings.add(TransactionalAnomaly.LOST_COMMIT, value.getKey() + " of partition " + value.getValue().partition());
            }
        }
        int[] outcomes = new int[TransactionOutcome.values().length];
        int unknownVisible = 0;
        int acknowledgedRecords = 0;
        for (SentTransaction transaction : transactions) {
            outcomes[transaction.outcome().ordinal()]++;
            int seen = seenPerTransaction.getOrDefault(transaction, 0);
            if (seen > 0 && seen < transaction.recordCount()) {
                findings.add(TransactionalAnomaly.PARTIAL_TRANSACTION, transaction.outcome() + " transaction of " + transaction.producer()
                        + ": " + seen + " of " + transaction.recordCount() + " records seen, " + transaction.values());
            }
            if (transaction.outcome() == TransactionOutcome.UNKNOWN && seen > 0) {
                unknownVisible++;
            }
            if (transaction.outcome() == TransactionOutcome.COMMITTED) {
                acknowledgedRecords += transaction.recordCount();
            }
        }
        return new TransactionalCheckResult(findings.counts, findings.examples, outcomes[TransactionOutcome.COMMITTED.ordinal()],
                outcomes[TransactionOutcome.ABORTED.ordinal()], outcomes[TransactionOutcome.UNKNOWN.ordinal()], unknownVisible,
                acknowledgedRecords, readRecords);
    }

    /** Every sent value with where it went; ranks count each producer's values per partition in send order. */
    private static Map<String, Sent> index(List<SentTransaction> transactions) {
        Map<String, Sent> sent = new HashMap<>();
        Map<String, Integer> nextRank = new HashMap<>();
        for (SentTransaction transaction : transactions) {
            transaction.values().forEach((partition, values) -> {
                for (String value : values) {
                    int rank = nextRank.merge(transaction.producer() + "/" + partition, 1, Integer::sum);
                    if (sent.put(value, new Sent(transaction, partition, rank)) != null) {
                        throw new IllegalArgumentException("value sent twice: " + value);
                    }
                }
            });
        }
        return sent;
    }

    /** The anomalies found so far: counts and the first few examples of each. */
    private static final class Findings {
        private final Map<TransactionalAnomaly, Integer> counts = new EnumMap<>(TransactionalAnomaly.class);
        private final Map<TransactionalAnomaly, List<String>> examples = new EnumMap<>(TransactionalAnomaly.class);

        void add(TransactionalAnomaly anomaly, String example) {
            counts.merge(anomaly, 1, Integer::sum);
            List<String> kept = examples.computeIfAbsent(anomaly, any -> new ArrayList<>());
            if (kept.size() < EXAMPLES) {
                kept.add(example);
            }
        }
    }
}
