package io.runnel.transaction.record;

import java.util.Objects;

/** The key of a {@code __transaction_state} record: the transactional id it is about. */
public record TransactionLogKey(String transactionalId) {

    public TransactionLogKey {
        Objects.requireNonNull(transactionalId, "transactionalId");
    }
}
