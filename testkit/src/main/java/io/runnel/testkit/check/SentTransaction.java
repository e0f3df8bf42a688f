package io.runnel.testkit.check;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One transaction as a transactional producer sent it, for {@link TransactionalHistoryChecker}.
 *
 * @param producer an identity of the producer (its transactional id): order is checked among the
 *                 transactions of one producer
 * @param outcome  how it ended
 * @param values   per partition, the values sent there in send order; every value of a history is unique
 */
public record SentTransaction(String producer, TransactionOutcome outcome, Map<Integer, List<String>> values) {

    public SentTransaction {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(outcome, "outcome");
        values = Map.copyOf(values);
    }

    /** How many records the transaction sent, over every partition. */
    public int recordCount() {
        return values.values().stream().mapToInt(List::size).sum();
    }
}
