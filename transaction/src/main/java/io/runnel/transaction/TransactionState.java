package io.runnel.transaction;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The state of a transactional id's transaction, with Kafka's ids (persisted in
 * {@code __transaction_state}) and names (shown by DescribeTransactions and matched by
 * ListTransactions' state filter). Dead and PrepareEpochFence exist only in memory.
 */
public enum TransactionState {
    /** No transaction yet, or InitProducerId just ran. */
    EMPTY(0, "Empty"),
    /** Partitions were added; the transaction runs. */
    ONGOING(1, "Ongoing"),
    /** Commit decided and persisted; markers being written. */
    PREPARE_COMMIT(2, "PrepareCommit"),
    /** Abort decided and persisted; markers being written. */
    PREPARE_ABORT(3, "PrepareAbort"),
    /** Every partition has its commit marker. */
    COMPLETE_COMMIT(4, "CompleteCommit"),
    /** Every partition has its abort marker. */
    COMPLETE_ABORT(5, "CompleteAbort"),
    /** The id is expiring: its tombstone is being written. */
    DEAD(6, "Dead"),
    /** A newer producer (or a timeout) fences the ongoing transaction, which is aborted next. */
    PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

    private final byte id;
    private final String kafkaName;

    TransactionState(int id, String kafkaName) {
        this.id = (byte) id;
        this.kafkaName = kafkaName;
    }

    /** The id written in {@code transaction_status}. */
    public byte id() {
        return id;
    }

    /** Kafka's name of the state, as clients and tools see it. */
    public String kafkaName() {
        return kafkaName;
    }

    /**
     * The states this one may follow. PrepareAbort may follow Empty and Complete* only for a
     * transaction version 2 client (an abort without partitions); the caller checks the version.
     */
    public Set<TransactionState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case ONGOING -> EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_COMMIT -> EnumSet.of(ONGOING);
            case PREPARE_ABORT -> EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case COMPLETE_COMMIT -> EnumSet.of(PREPARE_COMMIT);
            case COMPLETE_ABORT -> EnumSet.of(PREPARE_ABORT);
            case DEAD -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_EPOCH_FENCE -> EnumSet.of(ONGOING);
        };
    }

    /** Whether an id idle in this state may expire: no transaction of it is in flight. */
    public boolean isExpirationAllowed() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    /** Whether this is PrepareCommit or PrepareAbort: the decision is made, markers are pending. */
    public boolean isPrepare() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** Whether this is CompleteCommit or CompleteAbort. */
    public boolean isComplete() {
        return this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    /** The state with this persisted id. */
    public static TransactionState fromId(byte id) {
        return Arrays.stream(values()).filter(s -> s.id == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown transaction state id " + id));
    }

    /** The state with this Kafka name (case-sensitive, as Kafka), if any. */
    public static Optional<TransactionState> fromKafkaName(String name) {
        return Arrays.stream(values()).filter(s -> s.kafkaName.equals(name)).findFirst();
    }
}
