package io.runnel.storage.log;

import org.apache.kafka.common.InvalidRecordException;

/**
 * A produce request to a compacted log holds a record without a key (INVALID_RECORD on the wire).
 * {@link #recordIndex()} is the record's index within its batch, Kafka's {@code batch_index} of
 * the per-record error it reports. Immutable.
 */
public final class KeylessRecordException extends InvalidRecordException {
    private static final long serialVersionUID = 1L;

    private final int recordIndex;

    KeylessRecordException(int recordIndex) {
        super("Compacted topic cannot accept message without key");
        this.recordIndex = recordIndex;
    }

    public int recordIndex() {
        return recordIndex;
    }
}
