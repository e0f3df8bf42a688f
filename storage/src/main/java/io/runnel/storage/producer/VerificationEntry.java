package io.runnel.storage.producer;

/**
 * A verification in progress for one producer (Kafka's {@code VerificationStateEntry}): the guard the
 * coordinator's answer will be matched against, when it started (so stale ones expire with the
 * producer ids), and the lowest sequence and newest epoch seen while verifying. A batch with a higher
 * sequence than the lowest one waiting is refused, so a retried lower batch cannot be overtaken.
 * Mutable; guarded by {@link ProducerStateManager}'s owner.
 */
public final class VerificationEntry {
    private final VerificationGuard guard = new VerificationGuard();
    private final long timestamp;
    private final boolean supportsEpochBump;
    private int lowestSequence;
    private short epoch;

    VerificationEntry(long timestamp, int sequence, short epoch, boolean supportsEpochBump) {
        this.timestamp = timestamp;
        this.lowestSequence = sequence;
        this.epoch = epoch;
        this.supportsEpochBump = supportsEpochBump;
    }

    public VerificationGuard guard() {
        return guard;
    }

    long timestamp() {
        return timestamp;
    }

    public int lowestSequence() {
        return lowestSequence;
    }

    public short epoch() {
        return epoch;
    }

    /** Whether the producer runs transaction version 2 (a new transaction starts at sequence 0). */
    public boolean supportsEpochBump() {
        return supportsEpochBump;
    }

    /** A lower sequence of the same epoch, or any sequence of a newer epoch, becomes the one to wait for. */
    void update(int sequence, short newEpoch) {
        if (newEpoch == epoch && sequence < lowestSequence) {
            lowestSequence = sequence;
        }
        if (newEpoch > epoch) {
            epoch = newEpoch;
            lowestSequence = sequence;
        }
    }
}
