package io.runnel.storage.producer;

import java.util.Iterator;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The end-of-transaction marker held by a control batch: commit or abort, and the epoch of the
 * transaction coordinator that wrote it. Immutable.
 */
public record TxnMarker(boolean commit, int coordinatorEpoch) {
    /** The transaction version of a marker whose writer did not say (WriteTxnMarkers v1, replicas): epoch rules of version 0/1. */
    public static final short UNKNOWN_TRANSACTION_VERSION = -1;

    /**
     * Decodes the marker of {@code controlBatch}, or returns null for an empty control batch (the
     * cleaner removed the marker's record, so there is nothing left to apply).
     *
     * @throws InvalidRecordException if the batch's record is not a COMMIT or ABORT marker
     */
    public static TxnMarker of(RecordBatch controlBatch) {
        Iterator<Record> records = controlBatch.iterator();
        if (!records.hasNext()) {
            return null;
        }
        EndTransactionMarker marker;
        try {
            marker = EndTransactionMarker.deserialize(records.next());
        } catch (RuntimeException e) {
            throw new InvalidRecordException("Control batch at offset " + controlBatch.baseOffset()
                    + " holds no transaction marker: " + e.getMessage());
        }
        return new TxnMarker(marker.controlType() == ControlRecordType.COMMIT, marker.coordinatorEpoch());
    }
}
