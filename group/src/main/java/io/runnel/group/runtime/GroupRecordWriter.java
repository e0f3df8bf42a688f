package io.runnel.group.runtime;

import io.runnel.coordinator.runtime.CoordinatorWriteException;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.group.record.GroupRecord;
import java.util.List;

/**
 * Appends group records to the {@code __consumer_offsets} partition that owns a group. Called on
 * the coordinator thread; returns once the records are in the log (the point at which Kafka answers
 * a coordinator request on a single replica), so a caller may then apply them and answer the client.
 */
public interface GroupRecordWriter {

    /**
     * Appends {@code records}, all for {@code groupId}, as one batch.
     *
     * @throws CoordinatorWriteException if they could not be appended; none of them then is in the log
     */
    void write(String groupId, List<GroupRecord> records);

    /**
     * Appends {@code records}, all for {@code groupId}, as one transactional batch of {@code write}'s
     * producer (TxnOffsetCommit): they stay pending until {@link #writeMarker} ends the transaction.
     *
     * @throws CoordinatorWriteException if they could not be appended (a stale producer epoch among the causes)
     */
    void writeTransactional(String groupId, TransactionalWrite write, List<GroupRecord> records);

    /**
     * Appends the COMMIT or ABORT marker of the producer's transaction to {@code partition} of
     * {@code __consumer_offsets} (WriteTxnMarkers for that partition).
     *
     * @throws CoordinatorWriteException if it could not be appended (a stale producer or coordinator epoch among the causes)
     */
    void writeMarker(int partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, short transactionVersion);
}
