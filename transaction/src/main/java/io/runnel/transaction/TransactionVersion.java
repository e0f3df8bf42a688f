package io.runnel.transaction;

/**
 * The {@code transaction.version} feature level: the cluster's finalized level decides the
 * {@code __transaction_state} value version, and each transaction records the level its client
 * used (EndTxn v5 means level 2), which decides whether every transaction bumps the epoch.
 */
public enum TransactionVersion {
    /** Protocol 1, value version 0. */
    TV_0,
    /** Protocol 1, flexible value version 1. */
    TV_1,
    /** KIP-890 part 2: the epoch is bumped at every EndTxn and partitions are added by the brokers. */
    TV_2;

    /** The feature level, as persisted in {@code client_transaction_version}. */
    public short featureLevel() {
        return (short) ordinal();
    }

    /** The {@code __transaction_state} value version Kafka writes at this finalized level. */
    public short logValueVersion() {
        return this == TV_0 ? (short) 0 : (short) 1;
    }

    /** Whether EndTxn bumps the producer epoch (transaction version 2). */
    public boolean supportsEpochBump() {
        return this == TV_2;
    }

    /** The version of this feature level; a level above 2 (from a newer Kafka) acts as 2. */
    public static TransactionVersion fromFeatureLevel(short level) {
        if (level < 0) {
            throw new IllegalArgumentException("negative transaction.version " + level);
        }
        return values()[Math.min(level, TV_2.ordinal())];
    }
}
