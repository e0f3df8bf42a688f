package io.runnel.group.classic;

import io.runnel.group.Group;
import io.runnel.group.GroupType;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/** A stand-in for a KIP-848 consumer group, to test what classic requests do with one. */
record FakeConsumerGroup(String groupId, boolean isEmpty) implements Group {

    @Override
    public GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    public String protocolType() {
        return "consumer";
    }

    @Override
    public String stateName() {
        return isEmpty ? "Empty" : "Stable";
    }

    @Override
    public long offsetExpiryBaseMs(long commitTimestampMs) {
        return commitTimestampMs;
    }

    @Override
    public boolean isSubscribedTo(String topic) {
        return false;
    }

    @Override
    public Errors validateOffsetCommit(String memberId, String groupInstanceId, int generationIdOrMemberEpoch, boolean isTransactional,
                                       short apiVersion) {
        return Errors.NONE;
    }

    @Override
    public Errors validateOffsetFetch(String memberId, int memberEpoch, short apiVersion) {
        return Errors.NONE;
    }

    @Override
    public List<GroupRecord> tombstones() {
        return List.of(GroupRecord.tombstone(new GroupRecordKey.ConsumerGroupMetadata(groupId)));
    }
}
