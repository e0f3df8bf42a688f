package io.runnel.group.consumer;

import io.runnel.group.Group;
import io.runnel.group.GroupType;
import io.runnel.group.TopicCatalog;
import io.runnel.group.record.GroupRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A consumer group of KIP-848: its epoch, members, target assignment, and which member owns which
 * partition. The state is only changed by {@link ConsumerGroupManager#replay} applying records;
 * everything else reads it. Confined to the coordinator thread.
 */
public final class ConsumerGroup implements Group {

    /** The protocol type ListGroups reports for consumer groups. */
    public static final String PROTOCOL_TYPE = "consumer";
    /** ConsumerGroupDescribe's member types (v1+). */
    private static final byte CLASSIC_MEMBER_TYPE = 0;
    private static final byte CONSUMER_MEMBER_TYPE = 1;

    private final String groupId;
    private final Map<String, ConsumerGroupMember> members = new LinkedHashMap<>();
    private final Map<String, Map<Uuid, Set<Integer>>> targetAssignment = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Map<Uuid, Map<Integer, Integer>> partitionEpochs = new HashMap<>();
    private int groupEpoch;
    private int assignmentEpoch;
    private boolean dead;

    /** An empty group at epoch 0, as created before its first records are applied. */
    public ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    public String protocolType() {
        return PROTOCOL_TYPE;
    }

    @Override
    public String stateName() {
        return state().toString();
    }

    /** The group state, derived as Kafka's {@code ConsumerGroup.maybeUpdateGroupState}. */
    public ConsumerGroupState state() {
        if (dead) {
            return ConsumerGroupState.DEAD;
        }
        if (members.isEmpty()) {
            return ConsumerGroupState.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return ConsumerGroupState.ASSIGNING;
        }
        for (ConsumerGroupMember member : members.values()) {
            if (!member.isReconciledTo(assignmentEpoch)) {
                return ConsumerGroupState.RECONCILING;
            }
        }
        return ConsumerGroupState.STABLE;
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public long offsetExpiryBaseMs(long commitTimestampMs) {
        return commitTimestampMs;
    }

    @Override
    public boolean isSubscribedTo(String topic) {
        for (ConsumerGroupMember member : members.values()) {
            if (member.subscribedTopicNames().contains(topic)) {
                return true;
            }
            String regex = member.subscribedTopicRegex();
            if (regex != null && !regex.isEmpty() && TopicSubscriptions.matches(regex, topic)) {
                return true;
            }
        }
        return false;
    }

    /**
     * As Kafka's {@code ConsumerGroup.validateOffsetCommit}: a commit with a negative epoch is
     * accepted from outside the group only while the group is empty; otherwise the member must exist
     * and send its current epoch.
     */
    @Override
    public Errors validateOffsetCommit(String memberId, String groupInstanceId, int generationIdOrMemberEpoch, boolean isTransactional,
                                       short apiVersion) {
        if (generationIdOrMemberEpoch < 0 && members.isEmpty()) {
            return Errors.NONE;
        }
        if (memberId == null || !members.containsKey(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        // Members of the consumer protocol commit with OffsetCommit v9+ (which carries the member epoch), as
        // Kafka requires; a TxnOffsetCommit has no such version.
        if (!isTransactional && apiVersion < 9 && !members.get(memberId).useClassicProtocol()) {
            return Errors.UNSUPPORTED_VERSION;
        }
        return validateMember(memberId, generationIdOrMemberEpoch);
    }

    /**
     * As Kafka's {@code ConsumerGroup.validateOffsetFetch}: a fetch naming no member (before v9, or
     * from the admin client) is accepted; otherwise the member must exist with this epoch.
     */
    @Override
    public Errors validateOffsetFetch(String memberId, int memberEpoch, short apiVersion) {
        if (apiVersion < 9 || (memberId == null && memberEpoch < 0)) {
            return Errors.NONE;
        }
        return validateMember(memberId, memberEpoch);
    }

    private Errors validateMember(String memberId, int memberEpoch) {
        ConsumerGroupMember member = memberId == null ? null : members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (member.memberEpoch() == memberEpoch) {
            return Errors.NONE;
        }
        // A classic member sent its generation, which is its member epoch: Kafka's classic error.
        return member.useClassicProtocol() ? Errors.ILLEGAL_GENERATION : Errors.STALE_MEMBER_EPOCH;
    }

    /**
     * Kafka's {@code supportsClassicProtocols}: a classic member may join if its protocol type is
     * "consumer" and one of its protocols is supported by every classic member already in the group.
     */
    public boolean supportsClassicProtocols(String protocolType, Collection<String> protocolNames) {
        if (!PROTOCOL_TYPE.equals(protocolType) || protocolNames.isEmpty()) {
            return false;
        }
        for (String name : protocolNames) {
            boolean supportedByAll = true;
            for (ConsumerGroupMember member : members.values()) {
                if (member.useClassicProtocol() && member.classicMetadata().supportedProtocols().stream()
                        .noneMatch(protocol -> protocol.name().equals(name))) {
                    supportedByAll = false;
                    break;
                }
            }
            if (supportedByAll) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka's {@code waitingOnUnreleasedPartition}: whether the member waits for a partition of its
     * target that another member still owns.
     */
    public boolean waitingOnUnreleasedPartition(ConsumerGroupMember member) {
        if (member.state() != MemberState.UNRELEASED_PARTITIONS) {
            return false;
        }
        for (Map.Entry<Uuid, Set<Integer>> entry : targetAssignment.getOrDefault(member.memberId(), Assignments.EMPTY).entrySet()) {
            Set<Integer> owned = member.assignedPartitions().getOrDefault(entry.getKey(), Set.of());
            for (int partition : entry.getValue()) {
                if (!owned.contains(partition) && currentPartitionEpoch(entry.getKey(), partition) != -1) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Tombstones for all the group's records, in the order of Kafka's {@code createGroupTombstoneRecords}. */
    @Override
    public List<GroupRecord> tombstones() {
        List<GroupRecord> records = new ArrayList<>();
        for (String memberId : members.keySet()) {
            records.add(ConsumerGroupRecords.currentAssignmentTombstone(groupId, memberId));
        }
        for (String memberId : targetAssignment.keySet()) {
            records.add(ConsumerGroupRecords.targetMemberTombstone(groupId, memberId));
        }
        records.add(ConsumerGroupRecords.targetEpochTombstone(groupId));
        for (String memberId : members.keySet()) {
            records.add(ConsumerGroupRecords.memberTombstone(groupId, memberId));
        }
        records.add(ConsumerGroupRecords.groupEpochTombstone(groupId));
        return records;
    }

    /** The group epoch: bumped whenever the target assignment must be recomputed. */
    public int groupEpoch() {
        return groupEpoch;
    }

    /** The group epoch the target assignment was computed for. */
    public int assignmentEpoch() {
        return assignmentEpoch;
    }

    /** The members by id, in the order they joined; unmodifiable. */
    public Map<String, ConsumerGroupMember> members() {
        return Collections.unmodifiableMap(members);
    }

    /** The member {@code memberId}, or null. */
    public ConsumerGroupMember member(String memberId) {
        return members.get(memberId);
    }

    /** The static member with {@code instanceId}, or null. */
    public ConsumerGroupMember staticMember(String instanceId) {
        String memberId = instanceId == null ? null : staticMembers.get(instanceId);
        return memberId == null ? null : members.get(memberId);
    }

    /** The member's target assignment, or null if it has none. */
    public Map<Uuid, Set<Integer>> targetAssignment(String memberId) {
        return targetAssignment.get(memberId);
    }

    /** The target assignment of every member; unmodifiable. */
    public Map<String, Map<Uuid, Set<Integer>>> targetAssignment() {
        return Collections.unmodifiableMap(targetAssignment);
    }

    /** The epoch of the member that owns (or is revoking) the partition, or -1 if it is free. */
    public int currentPartitionEpoch(Uuid topicId, int partition) {
        Map<Integer, Integer> epochs = partitionEpochs.get(topicId);
        Integer epoch = epochs == null ? null : epochs.get(partition);
        return epoch == null ? -1 : epoch;
    }

    /** The assignor most members ask for (ties: the one listed first in {@code configured}), or null. */
    public String preferredServerAssignor(List<String> configured) {
        return preferredServerAssignor(members.values(), configured);
    }

    /** The assignor most of {@code members} ask for (ties: the one listed first in {@code configured}), or null. */
    static String preferredServerAssignor(Collection<ConsumerGroupMember> members, List<String> configured) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerGroupMember member : members) {
            if (member.serverAssignor() != null) {
                counts.merge(member.serverAssignor(), 1, Integer::sum);
            }
        }
        String best = null;
        for (String name : configured) {
            Integer count = counts.get(name);
            if (count != null && (best == null || count > counts.get(best))) {
                best = name;
            }
        }
        return best;
    }

    /** The group as ConsumerGroupDescribe reports it; topics the catalog no longer knows are left out. */
    public ConsumerGroupDescribeResponseData.DescribedGroup asDescribedGroup(List<String> assignors, TopicCatalog topics) {
        String assignor = preferredServerAssignor(assignors);
        ConsumerGroupDescribeResponseData.DescribedGroup described = new ConsumerGroupDescribeResponseData.DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(stateName())
                .setGroupEpoch(groupEpoch)
                .setAssignmentEpoch(assignmentEpoch)
                .setAssignorName(assignor != null ? assignor : assignors.get(0));
        for (ConsumerGroupMember member : members.values()) {
            Map<Uuid, Set<Integer>> target = targetAssignment.getOrDefault(member.memberId(), Assignments.EMPTY);
            described.members().add(new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(member.memberId())
                    .setInstanceId(member.instanceId())
                    .setRackId(member.metadata().rackId())
                    .setMemberEpoch(member.memberEpoch())
                    .setClientId(member.metadata().clientId())
                    .setClientHost(member.metadata().clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(member.subscribedTopicNames()))
                    .setSubscribedTopicRegex(member.subscribedTopicRegex() == null ? "" : member.subscribedTopicRegex())
                    .setAssignment(describe(member.assignedPartitions(), topics))
                    .setTargetAssignment(describe(target, topics))
                    .setMemberType(member.useClassicProtocol() ? CLASSIC_MEMBER_TYPE : CONSUMER_MEMBER_TYPE));
        }
        return described;
    }

    private static ConsumerGroupDescribeResponseData.Assignment describe(Map<Uuid, Set<Integer>> assignment,
                                                                         TopicCatalog topics) {
        ConsumerGroupDescribeResponseData.Assignment described = new ConsumerGroupDescribeResponseData.Assignment();
        Assignments.copyOf(assignment).forEach((topicId, partitions) -> {
            TopicCatalog.TopicInfo topic = topics.topic(topicId);
            if (topic != null) {
                described.topicPartitions().add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicId(topicId)
                        .setTopicName(topic.name())
                        .setPartitions(new ArrayList<>(partitions)));
            }
        });
        return described;
    }

    // ---- mutations, called only by ConsumerGroupReplay ----

    void setGroupEpoch(int epoch) {
        this.groupEpoch = epoch;
    }

    void setAssignmentEpoch(int epoch) {
        this.assignmentEpoch = epoch;
    }

    void markDead() {
        this.dead = true;
    }

    void updateTargetAssignment(String memberId, Map<Uuid, Set<Integer>> partitions) {
        targetAssignment.put(memberId, Assignments.copyOf(partitions));
    }

    void removeTargetAssignment(String memberId) {
        targetAssignment.remove(memberId);
    }

    /**
     * Adds or replaces a member, keeping the partition owners consistent.
     *
     * @throws IllegalStateException if the member would own a partition another member owns
     */
    void updateMember(ConsumerGroupMember member) {
        ConsumerGroupMember old = members.get(member.memberId());
        if (old != null) {
            removeEpochs(old);
            if (old.instanceId() != null && !old.instanceId().equals(member.instanceId())) {
                staticMembers.remove(old.instanceId());
            }
        }
        addEpochs(member.assignedPartitions(), member.memberEpoch());
        addEpochs(member.partitionsPendingRevocation(), member.memberEpoch());
        members.put(member.memberId(), member);
        if (member.instanceId() != null) {
            staticMembers.put(member.instanceId(), member.memberId());
        }
    }

    void removeMember(String memberId) {
        ConsumerGroupMember old = members.remove(memberId);
        if (old != null) {
            removeEpochs(old);
            if (old.instanceId() != null && memberId.equals(staticMembers.get(old.instanceId()))) {
                staticMembers.remove(old.instanceId());
            }
        }
    }

    private void removeEpochs(ConsumerGroupMember member) {
        removeEpochs(member.assignedPartitions());
        removeEpochs(member.partitionsPendingRevocation());
    }

    private void removeEpochs(Map<Uuid, Set<Integer>> assignment) {
        assignment.forEach((topicId, partitions) -> {
            Map<Integer, Integer> epochs = partitionEpochs.get(topicId);
            if (epochs != null) {
                partitions.forEach(epochs::remove);
                if (epochs.isEmpty()) {
                    partitionEpochs.remove(topicId);
                }
            }
        });
    }

    private void addEpochs(Map<Uuid, Set<Integer>> assignment, int epoch) {
        assignment.forEach((topicId, partitions) -> {
            Map<Integer, Integer> epochs = partitionEpochs.computeIfAbsent(topicId, id -> new HashMap<>());
            for (Integer partition : partitions) {
                Integer previous = epochs.put(partition, epoch);
                if (previous != null) {
                    throw new IllegalStateException("Cannot set the epoch of " + topicId + "-" + partition
                            + " to " + epoch + " because the partition is still owned at epoch " + previous);
                }
            }
        });
    }
}
