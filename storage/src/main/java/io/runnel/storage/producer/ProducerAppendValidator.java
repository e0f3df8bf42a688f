package io.runnel.storage.producer;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Checks the batches of one append request, in order, against the committed producer state plus
 * the earlier batches of the same request, by the rules of the append's {@link AppendOrigin} (Kafka's
 * {@code ProducerAppendInfo}). It never changes the committed state; the log applies the batches
 * with {@link ProducerStateManager#apply} and {@link ProducerStateManager#applyMarker} once they are
 * written. Used by the log's single writer only.
 */
public final class ProducerAppendValidator {
    /** What the earlier batches of this request left a producer at. */
    private record Pending(short epoch, int lastSeq, boolean openTxn, int coordinatorEpoch) {
    }

    private final Map<Long, ProducerEntry> committed;
    private final Map<Long, VerificationEntry> verifications;
    private final AppendOrigin origin;
    private final VerificationGuard requestGuard;
    private final boolean verificationRequired;
    // What the earlier batches of this request left each producer at. A request almost always carries
    // one producer's batches: that one is kept in two fields, and a map is made only for a second.
    private long firstProducerId;
    private Pending firstPending;
    private Map<Long, Pending> otherPending;

    ProducerAppendValidator(Map<Long, ProducerEntry> committed, Map<Long, VerificationEntry> verifications,
            AppendOrigin origin, VerificationGuard requestGuard, boolean verificationRequired) {
        this.committed = committed;
        this.verifications = verifications;
        this.origin = origin;
        this.requestGuard = requestGuard;
        this.verificationRequired = verificationRequired;
    }

    /**
     * Validates one data batch. Returns the cached metadata if a client's batch is a retry of one
     * already written (a duplicate), otherwise empty.
     *
     * @throws InvalidProducerEpochException if the epoch is older than the producer's current one
     * @throws OutOfOrderSequenceException   if a client's first sequence does not follow the last one written
     * @throws InvalidTxnStateException      a non-transactional batch while the producer has a transaction
     *                                       open here, or a transactional batch that would open one without
     *                                       the verification guard the log requires
     */
    public Optional<BatchMetadata> validateData(long producerId, short epoch, int firstSeq, int lastSeq,
            boolean transactional) {
        Pending earlier = pendingOf(producerId);
        ProducerEntry entry = earlier == null ? committed.get(producerId) : null;
        boolean known = earlier != null || entry != null;
        short currentEpoch = epochOf(earlier, entry);
        boolean openTxn = openTxnOf(earlier, entry);
        if (origin == AppendOrigin.CLIENT && entry != null && epoch == currentEpoch) {
            Optional<BatchMetadata> duplicate = entry.findDuplicate(firstSeq, lastSeq);
            if (duplicate.isPresent()) {
                return duplicate;
            }
        }
        // Only a transaction open at the batch's epoch spares the check: under the second protocol a
        // bumped epoch is a new transaction (Kafka's hasOngoingTransaction(producerId, producerEpoch)).
        boolean openAtEpoch = openTxn && epoch == currentEpoch;
        if (transactional && !openAtEpoch && verificationRequired && origin != AppendOrigin.REPLICATION) {
            VerificationEntry verification = verifications.get(producerId);
            if (verification == null || !verification.guard().verify(requestGuard)) {
                throw new InvalidTxnStateException("Record was not part of an ongoing transaction");
            }
        }
        if (epoch < currentEpoch) {
            throw new InvalidProducerEpochException("Producer " + producerId + " epoch " + epoch
                    + " is older than current epoch " + currentEpoch);
        }
        if (origin == AppendOrigin.CLIENT) {
            checkSequence(producerId, epoch, firstSeq, known, currentEpoch, lastSeqOf(earlier, entry));
        }
        if (openTxn && !transactional) {
            throw new InvalidTxnStateException("Expected a transactional write from producer " + producerId
                    + ", which has a transaction open");
        }
        remember(producerId, new Pending(epoch, lastSeq, openTxn || transactional, coordinatorEpochOf(earlier, entry)));
        return Optional.empty();
    }

    /**
     * Validates a transaction marker the coordinator writes at the producer's {@code epoch}, as the
     * transaction's {@code transactionVersion} says: from version 2 on the marker's epoch must be above
     * the producer's (the coordinator bumped it for the marker), except for a resent marker at the same
     * epoch once no transaction is open (KAFKA-19999); below version 2, or when the version is unknown
     * (-1), it must not be below it.
     *
     * @throws InvalidProducerEpochException         the marker's producer epoch is not acceptable
     * @throws TransactionCoordinatorFencedException the marker comes from an older coordinator epoch than the last one
     */
    public void validateMarker(long producerId, short epoch, TxnMarker marker, short transactionVersion) {
        Pending earlier = pendingOf(producerId);
        ProducerEntry entry = earlier == null ? committed.get(producerId) : null;
        short currentEpoch = epochOf(earlier, entry);
        boolean openTxn = openTxnOf(earlier, entry);
        boolean epochValid = transactionVersion >= 2
                ? epoch > currentEpoch || (epoch == currentEpoch && !openTxn)
                : epoch >= currentEpoch;
        if (!epochValid) {
            throw new InvalidProducerEpochException("Marker epoch " + epoch + " of producer " + producerId
                    + " is not valid for transaction version " + transactionVersion + " with current epoch "
                    + currentEpoch + (openTxn ? " and a transaction open" : ""));
        }
        int coordinatorEpoch = coordinatorEpochOf(earlier, entry);
        if (marker.coordinatorEpoch() < coordinatorEpoch) {
            throw new TransactionCoordinatorFencedException("Marker of producer " + producerId + " comes from coordinator epoch "
                    + marker.coordinatorEpoch() + ", older than the current " + coordinatorEpoch);
        }
        // a marker at a new epoch forgets the cached batches, so the next sequence is 0 again
        int lastSeq = epoch == currentEpoch ? lastSeqOf(earlier, entry) : RecordBatch.NO_SEQUENCE;
        remember(producerId, new Pending(epoch, lastSeq, false, marker.coordinatorEpoch()));
    }

    private Pending pendingOf(long producerId) {
        if (firstPending != null && firstProducerId == producerId) {
            return firstPending;
        }
        return otherPending == null ? null : otherPending.get(producerId);
    }

    private void remember(long producerId, Pending state) {
        if (firstPending == null || firstProducerId == producerId) {
            firstProducerId = producerId;
            firstPending = state;
            return;
        }
        if (otherPending == null) {
            otherPending = new HashMap<>();
        }
        otherPending.put(producerId, state);
    }

    private void checkSequence(long producerId, short epoch, int firstSeq, boolean known, short currentEpoch,
            int currentLastSeq) {
        VerificationEntry verification = verifications.isEmpty() ? null : verifications.get(producerId);
        if (verification != null && firstSeq > verification.lowestSequence()) {
            throw new OutOfOrderSequenceException("Producer " + producerId + " sent sequence " + firstSeq
                    + " while a verification waits for the lower sequence " + verification.lowestSequence());
        }
        if (!known) {
            // An unknown producer may start anywhere: its state can have expired, or gone with the
            // segments retention deleted. Kafka accepts it too, except that a transaction version 2
            // producer verified here starts each transaction at sequence 0.
            if (verification != null && verification.supportsEpochBump()) {
                requireSequence(producerId, 0, firstSeq, "the first batch of a verified transaction at epoch ", epoch);
            }
            return;
        }
        if (epoch > currentEpoch) {
            requireSequence(producerId, 0, firstSeq, "a new epoch ", epoch);
        } else {
            requireSequence(producerId, nextSequence(currentLastSeq), firstSeq, "epoch ", epoch);
        }
    }

    // The producer's state as the earlier batches of this request left it, else as committed, else unknown.
    // Field by field, so that checking a batch allocates nothing beyond the pending entry it leaves.

    private static short epochOf(Pending earlier, ProducerEntry entry) {
        return earlier != null ? earlier.epoch() : entry != null ? entry.epoch() : RecordBatch.NO_PRODUCER_EPOCH;
    }

    private static int lastSeqOf(Pending earlier, ProducerEntry entry) {
        return earlier != null ? earlier.lastSeq() : entry != null ? entry.lastSeq() : RecordBatch.NO_SEQUENCE;
    }

    private static boolean openTxnOf(Pending earlier, ProducerEntry entry) {
        return earlier != null ? earlier.openTxn() : entry != null && entry.hasOpenTxn();
    }

    private static int coordinatorEpochOf(Pending earlier, ProducerEntry entry) {
        return earlier != null ? earlier.coordinatorEpoch() : entry != null ? entry.coordinatorEpoch() : ProducerEntry.NO_COORDINATOR_EPOCH;
    }

    private static int nextSequence(int lastSeq) {
        return lastSeq == Integer.MAX_VALUE ? 0 : lastSeq + 1;
    }

    /** The message is built only on failure: this runs for every client batch. */
    private static void requireSequence(long producerId, int expected, int actual, String context, short epoch) {
        if (actual != expected) {
            throw new OutOfOrderSequenceException("Producer " + producerId + " sent sequence " + actual
                    + " but " + expected + " was expected for " + context + epoch);
        }
    }
}
