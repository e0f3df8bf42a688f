package io.runnel.group.runtime;

import io.runnel.coordinator.runtime.CoordinatorWriteException;
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
}
