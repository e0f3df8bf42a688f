package io.runnel.group.runtime;

import io.runnel.coordinator.runtime.CoordinatorWriteException;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.group.record.GroupRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A record writer for tests: keeps what was written (transactional batches and markers too), and
 * can be told to fail the next writes.
 */
public final class RecordingWriter implements GroupRecordWriter {

    /** A transaction marker as written. */
    public record Marker(int partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit) { }

    private final List<GroupRecord> written = new ArrayList<>();
    private final List<GroupRecord> writtenTransactionally = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private Throwable failure;

    @Override
    public void write(String groupId, List<GroupRecord> records) {
        check(groupId, records);
        written.addAll(records);
    }

    @Override
    public void writeTransactional(String groupId, TransactionalWrite write, List<GroupRecord> records) {
        check(groupId, records);
        writtenTransactionally.addAll(records);
    }

    @Override
    public void writeMarker(int partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, short transactionVersion) {
        failIfTold();
        markers.add(new Marker(partition, producerId, producerEpoch, coordinatorEpoch, commit));
    }

    private void check(String groupId, List<GroupRecord> records) {
        failIfTold();
        for (GroupRecord record : records) {
            if (!record.groupId().equals(groupId)) {
                throw new AssertionError("record for " + record.groupId() + " written under " + groupId);
            }
        }
    }

    private void failIfTold() {
        if (failure != null) {
            throw new CoordinatorWriteException("injected write failure", failure);
        }
    }

    /** Every record written non-transactionally so far, in order. */
    public List<GroupRecord> written() {
        return List.copyOf(written);
    }

    /** Every record written in transactional batches so far, in order. */
    public List<GroupRecord> writtenTransactionally() {
        return List.copyOf(writtenTransactionally);
    }

    /** Every marker written so far, in order. */
    public List<Marker> markers() {
        return List.copyOf(markers);
    }

    /** Forgets what was written. */
    public void clear() {
        written.clear();
        writtenTransactionally.clear();
        markers.clear();
    }

    /** Makes later writes fail (true, with an I/O error as the cause) or succeed again (false). */
    public void failWrites(boolean failing) {
        failure = failing ? new java.io.IOException("disk full") : null;
    }

    /** Makes later writes fail with {@code cause} (a Kafka error the log raised, say). */
    public void failWrites(RuntimeException cause) {
        failure = cause;
    }
}
