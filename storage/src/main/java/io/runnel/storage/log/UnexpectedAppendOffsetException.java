package io.runnel.storage.log;

import org.apache.kafka.common.InvalidRecordException;

/**
 * Batches appended as a follower do not line up with the log: the first does not start at the log
 * end offset (a gap or an overlap), or a batch overlaps the one before it. Nothing was appended.
 * Kafka's exception of the same name; a replica fetcher answers it by truncating or refetching.
 * Immutable.
 */
public final class UnexpectedAppendOffsetException extends InvalidRecordException {
    private static final long serialVersionUID = 1L;

    private final long expectedOffset;
    private final long actualOffset;

    UnexpectedAppendOffsetException(String message, long expectedOffset, long actualOffset) {
        super(message);
        this.expectedOffset = expectedOffset;
        this.actualOffset = actualOffset;
    }

    /** The base offset the batch should have had (at least). */
    public long expectedOffset() {
        return expectedOffset;
    }

    /** The base offset it had. */
    public long actualOffset() {
        return actualOffset;
    }
}
