package io.runnel.cli.transaction;

import io.runnel.cli.client.KafkaResults;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;

/** The admin call both transaction commands make: DescribeTransactions, by id, to each id's coordinator. Stateless. */
final class TransactionLookup {

    private TransactionLookup() {
    }

    /**
     * The descriptions of the ids the coordinators know, sorted by id; an id they do not know (never
     * initialized, or expired since it was listed) is left out.
     */
    static Map<String, TransactionDescription> describe(Admin admin, Collection<String> transactionalIds) throws InterruptedException {
        Map<String, TransactionDescription> descriptions = new TreeMap<>();
        if (transactionalIds.isEmpty()) {
            return descriptions;
        }
        DescribeTransactionsResult result = admin.describeTransactions(new HashSet<>(transactionalIds));
        for (String transactionalId : transactionalIds) {
            describeOne(result, transactionalId).ifPresent(description -> descriptions.put(transactionalId, description));
        }
        return descriptions;
    }

    private static Optional<TransactionDescription> describeOne(DescribeTransactionsResult result, String transactionalId)
            throws InterruptedException {
        try {
            return Optional.of(KafkaResults.get(result.description(transactionalId)));
        } catch (TransactionalIdNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * How long the open transaction has run, e.g. {@code 250ms}, {@code 12s}, {@code 3m04s},
     * {@code 2h05m}; null when none is open (the coordinator keeps an ended one's start time).
     */
    static String duration(TransactionDescription description, long nowMs) {
        if (!isOpen(description.state()) || description.transactionStartTimeMs().isEmpty()) {
            return null;
        }
        long ms = Math.max(0, nowMs - description.transactionStartTimeMs().getAsLong());
        long seconds = ms / 1000;
        if (seconds == 0) {
            return ms + "ms";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    /** Begun and not yet ended: its markers are not all written. */
    private static boolean isOpen(TransactionState state) {
        return switch (state) {
            case ONGOING, PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE -> true;
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT, UNKNOWN -> false;
        };
    }
}
