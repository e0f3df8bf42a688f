package io.runnel.broker.group;

import io.runnel.group.GroupCoordinator;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordSerde;
import io.runnel.group.runtime.GroupRecordWriter;
import io.runnel.group.runtime.GroupWriteException;
import io.runnel.broker.partition.Partition;
import io.runnel.protocol.KeyValueRecords;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;

/**
 * Writes group records as one batch to the group's {@code __consumer_offsets} partition (which it
 * never creates: a client deleting the topic must not get an empty one silently), through
 * the same log append as produced records (so they are in the page cache, and on disk per the flush
 * policy, before the client is answered). Called on the coordinator thread.
 */
final class OffsetsTopicWriter implements GroupRecordWriter {

    private final OffsetsTopic topic;
    private final Clock clock;

    OffsetsTopicWriter(OffsetsTopic topic, Clock clock) {
        this.topic = topic;
        this.clock = clock;
    }

    @Override
    public void write(String groupId, List<GroupRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            List<KeyValueRecords.KeyValue> keyValues = new ArrayList<>(records.size());
            for (GroupRecord record : records) {
                keyValues.add(new KeyValueRecords.KeyValue(GroupRecordSerde.serializeKey(record.key()),
                        GroupRecordSerde.serializeValue(record.value())));
            }
            if (!topic.exists()) {
                throw new CoordinatorNotAvailableException(OffsetsTopic.NAME + " does not exist yet");
            }
            Partition partition = topic.partition(GroupCoordinator.partitionFor(groupId, topic.partitionCount()));
            partition.log().appendAsLeader(KeyValueRecords.batch(clock.millis(), keyValues), partition.leaderEpoch());
        } catch (RuntimeException e) {
            throw new GroupWriteException("cannot append to " + OffsetsTopic.NAME + " for group " + groupId + ": " + e.getMessage(), e);
        }
    }
}
