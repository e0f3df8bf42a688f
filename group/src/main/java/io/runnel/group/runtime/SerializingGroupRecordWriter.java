package io.runnel.group.runtime;

import io.runnel.coordinator.runtime.CoordinatorRecord;
import io.runnel.coordinator.runtime.CoordinatorWriteException;
import io.runnel.coordinator.runtime.CoordinatorWriter;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The group state machines' writer over the coordinator's: serializes a group's records in
 * Kafka's {@code __consumer_offsets} layout and appends them as one batch to the group's partition.
 * Called on the coordinator thread.
 */
public final class SerializingGroupRecordWriter implements GroupRecordWriter {

    private final CoordinatorWriter writer;
    private final ToIntFunction<String> partitionOfGroup;

    /** Writes through {@code writer} to the partition {@code partitionOfGroup} gives a group id. */
    public SerializingGroupRecordWriter(CoordinatorWriter writer, ToIntFunction<String> partitionOfGroup) {
        this.writer = writer;
        this.partitionOfGroup = partitionOfGroup;
    }

    @Override
    public void write(String groupId, List<GroupRecord> records) {
        if (!records.isEmpty()) {
            writer.append(partitionOfGroup.applyAsInt(groupId), serialize(groupId, records));
        }
    }

    @Override
    public void writeTransactional(String groupId, TransactionalWrite write, List<GroupRecord> records) {
        if (!records.isEmpty()) {
            writer.appendTransactional(partitionOfGroup.applyAsInt(groupId), write, serialize(groupId, records));
        }
    }

    @Override
    public void writeMarker(int partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, short transactionVersion) {
        writer.appendMarker(partition, producerId, producerEpoch, coordinatorEpoch, commit, transactionVersion);
    }

    private static List<CoordinatorRecord> serialize(String groupId, List<GroupRecord> records) {
        List<CoordinatorRecord> serialized = new ArrayList<>(records.size());
        try {
            for (GroupRecord record : records) {
                serialized.add(new CoordinatorRecord(GroupRecordSerde.serializeKey(record.key()), GroupRecordSerde.serializeValue(record.value())));
            }
        } catch (RuntimeException e) {
            throw new CoordinatorWriteException("cannot serialize the records of group " + groupId + ": " + e.getMessage(), e);
        }
        return serialized;
    }
}
