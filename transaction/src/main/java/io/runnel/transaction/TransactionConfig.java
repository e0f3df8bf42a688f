package io.runnel.transaction;

/**
 * The transaction coordinator's settings, under Kafka's broker config names.
 *
 * @param partitionCount              {@code transaction.state.log.num.partitions}: the real partition
 *                                    count of {@code __transaction_state}, which places every id
 * @param maxTransactionTimeoutMs     {@code transaction.max.timeout.ms}: longer client timeouts are refused
 * @param transactionalIdExpirationMs {@code transactional.id.expiration.ms}: idle ids are removed after this
 */
public record TransactionConfig(int partitionCount, int maxTransactionTimeoutMs, long transactionalIdExpirationMs) {

    public static final int DEFAULT_PARTITION_COUNT = 50;
    public static final int DEFAULT_MAX_TRANSACTION_TIMEOUT_MS = 900_000;
    public static final long DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS = 604_800_000L;

    public TransactionConfig {
        if (partitionCount <= 0 || maxTransactionTimeoutMs <= 0 || transactionalIdExpirationMs <= 0) {
            throw new IllegalArgumentException("transaction settings must be positive");
        }
    }

    /** Kafka's defaults. */
    public static TransactionConfig defaults() {
        return new TransactionConfig(DEFAULT_PARTITION_COUNT, DEFAULT_MAX_TRANSACTION_TIMEOUT_MS, DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS);
    }
}
