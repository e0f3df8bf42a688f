package io.runnel.coordinator.runtime;

import io.runnel.storage.producer.VerificationGuard;

/**
 * Who a coordinator writes a transactional batch for: the producer id and epoch of the client's
 * transaction (the log checks the epoch), and the guard the broker's verification obtained before
 * the operation was scheduled ({@link VerificationGuard#NONE} when none was done). The guard is
 * opaque to the state machines, which only hand it to the writer. Immutable.
 */
public record TransactionalWrite(long producerId, short producerEpoch, VerificationGuard guard) {

    /** A write for a transaction no partition verification was done for (transaction version 0 or 1, verification off). */
    public static TransactionalWrite unverified(long producerId, short producerEpoch) {
        return new TransactionalWrite(producerId, producerEpoch, VerificationGuard.NONE);
    }
}
