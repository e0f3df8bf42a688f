package io.runnel.storage.log;

import java.util.List;

import org.apache.kafka.common.InvalidRecordException;

/**
 * A produce request to a compacted log holds records without a key (INVALID_RECORD on the wire).
 * {@link #recordIndexes()} are their indexes within their batch, Kafka's {@code batch_index} of the
 * per-record errors it reports. Immutable.
 */
public final class KeylessRecordException extends InvalidRecordException {
    /** Kafka's message for each keyless record, followed by " in topic partition <tp>". */
    public static final String MESSAGE = "Compacted topic cannot accept message without key";
    private static final long serialVersionUID = 1L;

    private final transient List<Integer> recordIndexes;

    KeylessRecordException(List<Integer> recordIndexes) {
        super(MESSAGE);
        this.recordIndexes = List.copyOf(recordIndexes);
    }

    public List<Integer> recordIndexes() {
        return recordIndexes;
    }
}
