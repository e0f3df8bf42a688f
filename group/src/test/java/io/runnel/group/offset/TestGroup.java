package io.runnel.group.offset;

import io.runnel.group.Group;
import io.runnel.group.GroupType;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/** A group whose membership a test sets directly: members, subscriptions, and the generation commits must carry. */
final class TestGroup implements Group {

    private final String groupId;
    final Set<String> members = new HashSet<>();
    final Set<String> subscribedTopics = new HashSet<>();
    int generation;

    TestGroup(String groupId) {
        this.groupId = groupId;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CLASSIC;
    }

    @Override
    public String protocolType() {
        return "consumer";
    }

    @Override
    public String stateName() {
        return members.isEmpty() ? "Empty" : "Stable";
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    /** When the group emptied, or -1: a classic group's offsets then count from it. */
    long emptiedAtMs = -1;

    @Override
    public long offsetExpiryBaseMs(long commitTimestampMs) {
        if (members.isEmpty()) {
            return emptiedAtMs >= 0 ? emptiedAtMs : commitTimestampMs;
        }
        return subscribedTopics.isEmpty() ? -1 : commitTimestampMs;
    }

    @Override
    public boolean isSubscribedTo(String topic) {
        return subscribedTopics.contains(topic);
    }

    @Override
    public Errors validateOffsetCommit(String memberId, String groupInstanceId, int generationIdOrMemberEpoch, boolean isTransactional,
                                       short apiVersion) {
        if (generationIdOrMemberEpoch < 0 && memberId.isEmpty()) {
            // the classic rule: a transactional commit naming no member is accepted by a group with members (KIP-447)
            return members.isEmpty() || isTransactional ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
        }
        if (!members.contains(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return generationIdOrMemberEpoch == generation ? Errors.NONE : Errors.ILLEGAL_GENERATION;
    }

    @Override
    public Errors validateOffsetFetch(String memberId, int memberEpoch, short apiVersion) {
        return Errors.NONE;
    }

    @Override
    public List<GroupRecord> tombstones() {
        return List.of(GroupRecord.tombstone(new GroupRecordKey.ClassicGroup(groupId)));
    }
}
