package io.runnel.storage.producer;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;

/**
 * Checks the idempotent batches of one append request, in order, against the committed producer
 * state plus the earlier batches of the same request. It never changes the committed state; the
 * log applies the batches with {@link ProducerStateManager#apply} once they are written.
 * Used by the log's single writer only.
 */
public final class ProducerAppendValidator {
    private record Pending(short epoch, int lastSeq) {
    }

    private final Map<Long, ProducerEntry> committed;
    private final Map<Long, Pending> pending = new HashMap<>();

    ProducerAppendValidator(Map<Long, ProducerEntry> committed) {
        this.committed = committed;
    }

    /**
     * Validates one batch. Returns the cached metadata if the batch is a retry of one already
     * written (a duplicate), otherwise empty.
     *
     * @throws InvalidProducerEpochException if the epoch is older than the producer's current one
     * @throws OutOfOrderSequenceException   if the first sequence does not follow the last one written
     */
    public Optional<BatchMetadata> validate(long producerId, short epoch, int firstSeq, int lastSeq) {
        Pending earlier = pending.get(producerId);
        ProducerEntry entry = committed.get(producerId);
        short currentEpoch;
        int currentLastSeq;
        if (earlier != null) {
            currentEpoch = earlier.epoch();
            currentLastSeq = earlier.lastSeq();
        } else if (entry != null) {
            currentEpoch = entry.epoch();
            currentLastSeq = entry.lastSeq();
        } else {
            // An unknown producer may start anywhere: its state can have expired, or gone with the
            // segments retention deleted. Kafka accepts it too.
            pending.put(producerId, new Pending(epoch, lastSeq));
            return Optional.empty();
        }
        if (epoch < currentEpoch) {
            throw new InvalidProducerEpochException("Producer " + producerId + " epoch " + epoch
                    + " is older than current epoch " + currentEpoch);
        }
        if (epoch > currentEpoch) {
            requireSequence(producerId, 0, firstSeq, "a new epoch " + epoch);
        } else {
            if (earlier == null) {
                Optional<BatchMetadata> duplicate = entry.findDuplicate(firstSeq, lastSeq);
                if (duplicate.isPresent()) {
                    return duplicate;
                }
            }
            requireSequence(producerId, nextSequence(currentLastSeq), firstSeq, "epoch " + epoch);
        }
        pending.put(producerId, new Pending(epoch, lastSeq));
        return Optional.empty();
    }

    private static int nextSequence(int lastSeq) {
        return lastSeq == Integer.MAX_VALUE ? 0 : lastSeq + 1;
    }

    private static void requireSequence(long producerId, int expected, int actual, String context) {
        if (actual != expected) {
            throw new OutOfOrderSequenceException("Producer " + producerId + " sent sequence " + actual
                    + " but " + expected + " was expected for " + context);
        }
    }
}
