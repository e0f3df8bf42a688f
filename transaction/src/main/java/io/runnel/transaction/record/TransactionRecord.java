package io.runnel.transaction.record;

import java.util.Objects;

/**
 * One record to append to, or read from, {@code __transaction_state}.
 *
 * @param value        the value, or null for a tombstone (the transactional id expired)
 * @param valueVersion the value version to write: 0 (not flexible) below transaction version 1, else 1
 */
public record TransactionRecord(TransactionLogKey key, TransactionLogValue value, short valueVersion) {

    public TransactionRecord {
        Objects.requireNonNull(key, "key");
        if (valueVersion != 0 && valueVersion != 1) {
            throw new IllegalArgumentException("value version " + valueVersion + " does not exist");
        }
    }

    /** A tombstone: the transactional id is removed once compaction runs. */
    public static TransactionRecord tombstone(String transactionalId) {
        return new TransactionRecord(new TransactionLogKey(transactionalId), null, (short) 0);
    }

    public boolean isTombstone() {
        return value == null;
    }
}
