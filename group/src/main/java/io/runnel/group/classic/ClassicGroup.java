package io.runnel.group.classic;

import io.runnel.group.Group;
import io.runnel.group.GroupType;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue.ClassicProtocol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A classic group: its state, generation, chosen protocol, leader and members, and the rules Kafka
 * applies to them (who may join, which protocol wins, who may commit offsets). The rebalance itself
 * (timers, records, answering parked requests) is driven by {@link ClassicGroupManager}.
 * Confined to the coordinator thread.
 */
public final class ClassicGroup implements Group {

    private final String groupId;
    private final Map<String, ClassicGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Set<String> pendingJoinMembers = new HashSet<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private final ProtocolVotes votes = new ProtocolVotes();
    private ClassicGroupState state;
    private ClassicGroupState previousState = ClassicGroupState.DEAD;
    private long currentStateTimestampMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private int awaitingJoinCount;
    private Set<String> subscribedTopics;
    private boolean newMemberAdded;

    /** A new group, Empty, at generation 0. */
    ClassicGroup(String groupId, long nowMs) {
        this(groupId, ClassicGroupState.EMPTY, 0, null, null, null, nowMs);
    }

    /** A group as loaded from its record; members are added afterwards. */
    ClassicGroup(String groupId, ClassicGroupState state, int generationId, String protocolType,
                 String protocolName, String leaderId, long currentStateTimestampMs) {
        this.groupId = groupId;
        this.state = state;
        this.generationId = generationId;
        this.protocolType = protocolType;
        this.protocolName = protocolName;
        this.leaderId = leaderId;
        this.currentStateTimestampMs = currentStateTimestampMs;
    }

    // ---- Group -------------------------------------------------------------------------------

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
        return protocolType == null ? "" : protocolType;
    }

    @Override
    public String stateName() {
        return state.wireName();
    }

    /** Kafka's rule: a classic group is empty when it is in the Empty state. */
    @Override
    public boolean isEmpty() {
        return state == ClassicGroupState.EMPTY;
    }

    /**
     * Kafka's {@code isSubscribedToTopic}: the members' parsed subscriptions when known; when not
     * known, a "consumer" group counts as subscribed to everything and any other group to nothing.
     */
    @Override
    public boolean isSubscribedTo(String topic) {
        return subscribedTopics != null ? subscribedTopics.contains(topic) : usesConsumerProtocol();
    }

    @Override
    public long offsetExpiryBaseMs(long commitTimestampMs) {
        if (protocolType().isEmpty()) {
            return commitTimestampMs;
        }
        if (state == ClassicGroupState.EMPTY) {
            return currentStateTimestampMs >= 0 ? currentStateTimestampMs : commitTimestampMs;
        }
        return state == ClassicGroupState.STABLE && usesConsumerProtocol() && subscribedTopics != null ? commitTimestampMs : -1;
    }

    /**
     * Kafka's classic {@code validateOffsetCommit}: a generation -1 commit is accepted while the group
     * is Empty; a commit naming a member must come from a current member of the current generation;
     * a commit naming no member is refused unless the group is Empty (except for transactions); and
     * no non-transactional commit is accepted while the group awaits the leader's assignment.
     */
    @Override
    public Errors validateOffsetCommit(String memberId, String groupInstanceId, int generation, boolean transactional, short apiVersion) {
        String member = memberId == null ? "" : memberId;
        if (state == ClassicGroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && state == ClassicGroupState.EMPTY) {
            return Errors.NONE;
        }
        if (generation >= 0 || !member.isEmpty() || groupInstanceId != null) {
            Errors error = validateMember(member, groupInstanceId);
            if (error != Errors.NONE) {
                return error;
            }
            if (generation != generationId) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (!transactional && state != ClassicGroupState.EMPTY) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return !transactional && state == ClassicGroupState.COMPLETING_REBALANCE
                ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /** Classic groups take no member fields in OffsetFetch; only a Dead group is refused. */
    @Override
    public Errors validateOffsetFetch(String memberId, int memberEpoch, short apiVersion) {
        return state == ClassicGroupState.DEAD ? Errors.GROUP_ID_NOT_FOUND : Errors.NONE;
    }

    @Override
    public List<GroupRecord> tombstones() {
        return List.of(GroupRecord.tombstone(new GroupRecordKey.ClassicGroup(groupId)));
    }

    // ---- reads -------------------------------------------------------------------------------

    /** The current state. */
    public ClassicGroupState state() {
        return state;
    }

    ClassicGroupState previousState() {
        return previousState;
    }

    /** When the group entered its current state, or -1 when unknown (an old record). */
    public long currentStateTimestampMs() {
        return currentStateTimestampMs;
    }

    /** The generation; bumped each time a join phase completes. */
    public int generationId() {
        return generationId;
    }

    /** The chosen protocol (assignor), or null when the group has no generation with members. */
    public String protocolName() {
        return protocolName;
    }

    /** The leader's member id, or null when the group has no members. */
    public String leaderId() {
        return leaderId;
    }

    /** Whether {@code memberId} is the leader. */
    public boolean isLeader(String memberId) {
        return leaderId != null && leaderId.equals(memberId);
    }

    /** The members, in the order they joined. */
    public Collection<ClassicGroupMember> members() {
        return Collections.unmodifiableCollection(members.values());
    }

    /** The member with {@code memberId}, or null. */
    public ClassicGroupMember member(String memberId) {
        return members.get(memberId);
    }

    /** Whether {@code memberId} is a member. */
    public boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    /** The number of members. */
    public int size() {
        return members.size();
    }

    /** The member id currently holding {@code groupInstanceId}, or null. */
    public String staticMemberId(String groupInstanceId) {
        return staticMembers.get(groupInstanceId);
    }

    /** Whether {@code memberId} got a member id (MEMBER_ID_REQUIRED) and has not joined with it yet. */
    public boolean isPendingMember(String memberId) {
        return pendingJoinMembers.contains(memberId);
    }

    boolean usesConsumerProtocol() {
        return ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType);
    }

    boolean isIn(ClassicGroupState candidate) {
        return state == candidate;
    }

    boolean canRebalance() {
        return ClassicGroupState.PREPARING_REBALANCE.canFollow(state);
    }

    int awaitingJoinCount() {
        return awaitingJoinCount;
    }

    boolean hasAllMembersJoined() {
        return members.size() == awaitingJoinCount && pendingJoinMembers.isEmpty();
    }

    /** The largest rebalance timeout of the members: how long a join or sync phase may last. */
    int rebalanceTimeoutMs() {
        return members.values().stream().mapToInt(ClassicGroupMember::rebalanceTimeoutMs).max().orElse(0);
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void setNewMemberAdded(boolean value) {
        newMemberAdded = value;
    }

    /**
     * Kafka's {@code validateMember}: a static member's instance id must map to this member id
     * (else FENCED_INSTANCE_ID, or UNKNOWN_MEMBER_ID when the instance is unknown), and the member
     * must exist.
     */
    Errors validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    /**
     * Whether a member with {@code memberProtocolType} and {@code names} fits: any non-empty type and
     * protocol list while Empty, else the group's type and a protocol every member supports.
     */
    boolean supportsProtocols(String memberProtocolType, List<String> names) {
        if (state == ClassicGroupState.EMPTY) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !names.isEmpty();
        }
        return protocolType != null && protocolType.equals(memberProtocolType)
                && votes.anySupportedByAll(names, members.size());
    }

    /** The protocol the members would choose now. */
    String selectProtocol() {
        return votes.select(members.values());
    }

    /** The members as the leader's JoinGroup response lists them, with the chosen protocol's metadata. */
    List<JoinGroupResponseMember> joinResponseMembers() {
        List<JoinGroupResponseMember> list = new ArrayList<>(members.size());
        for (ClassicGroupMember member : members.values()) {
            list.add(new JoinGroupResponseMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId())
                    .setMetadata(member.metadata(protocolName)));
        }
        return list;
    }

    /** Every member's current assignment by member id. */
    Map<String, byte[]> assignments() {
        Map<String, byte[]> assignments = new LinkedHashMap<>();
        members.values().forEach(member -> assignments.put(member.memberId(), member.assignment()));
        return assignments;
    }

    /** The members that have not sent JoinGroup in the current rebalance. */
    List<ClassicGroupMember> notYetRejoined() {
        return members.values().stream().filter(member -> !member.isAwaitingJoin()).toList();
    }

    /** The members that were given an id but have not joined yet (each has a session timeout running). */
    Set<String> pendingJoinMemberIds() {
        return Set.copyOf(pendingJoinMembers);
    }

    Set<String> pendingSyncMembers() {
        return Set.copyOf(pendingSyncMembers);
    }

    boolean hasReceivedSyncFromAllMembers() {
        return pendingSyncMembers.isEmpty();
    }

    /** A member id as Kafka makes them: the instance id (static) or client id, a dash, a random UUID. */
    static String newMemberId(String clientId, String groupInstanceId) {
        return (groupInstanceId != null ? groupInstanceId : clientId) + "-" + UUID.randomUUID();
    }

    // ---- changes -----------------------------------------------------------------------------

    void transitionTo(ClassicGroupState target, long nowMs) {
        if (!target.canFollow(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot move from " + state + " to " + target);
        }
        previousState = state;
        state = target;
        currentStateTimestampMs = nowMs;
    }

    /** Adds {@code member}, parked on {@code joinFuture} (or null); the first member sets the protocol type. */
    void add(ClassicGroupMember member, CompletableFuture<JoinGroupResponseData> joinFuture) {
        if (member.isStatic()) {
            if (staticMembers.containsKey(member.groupInstanceId())) {
                throw new IllegalStateException("Static member " + member.groupInstanceId() + " is already in " + groupId);
            }
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        if (!member.protocolType().equals(protocolType)) {
            throw new IllegalStateException("Member protocol type " + member.protocolType() + " is not " + protocolType);
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        members.put(member.memberId(), member);
        votes.add(member);
        member.setAwaitingJoin(joinFuture);
        if (joinFuture != null) {
            awaitingJoinCount++;
        }
        pendingJoinMembers.remove(member.memberId());
    }

    /** Removes a member or pending member; a removed leader is replaced by the oldest remaining member. */
    void remove(String memberId) {
        ClassicGroupMember removed = members.remove(memberId);
        if (removed != null) {
            votes.remove(removed);
            if (removed.isAwaitingJoin()) {
                awaitingJoinCount--;
            }
            if (removed.isStatic()) {
                staticMembers.remove(removed.groupInstanceId());
            }
        }
        if (isLeader(memberId)) {
            Iterator<String> remaining = members.keySet().iterator();
            leaderId = remaining.hasNext() ? remaining.next() : null;
        }
        pendingJoinMembers.remove(memberId);
        pendingSyncMembers.remove(memberId);
    }

    void addPendingMember(String memberId) {
        if (members.containsKey(memberId)) {
            throw new IllegalStateException("Pending member " + memberId + " is already a member of " + groupId);
        }
        pendingJoinMembers.add(memberId);
    }

    /** Replaces the member's protocols and timeouts, and parks it on {@code joinFuture} (or unparks it). */
    void updateMember(ClassicGroupMember member, List<ClassicProtocol> protocols, int rebalanceTimeoutMs,
                      int sessionTimeoutMs, CompletableFuture<JoinGroupResponseData> joinFuture) {
        votes.remove(member);
        member.update(protocols, rebalanceTimeoutMs, sessionTimeoutMs);
        votes.add(member);
        if (joinFuture != null && !member.isAwaitingJoin()) {
            awaitingJoinCount++;
        } else if (joinFuture == null && member.isAwaitingJoin()) {
            awaitingJoinCount--;
        }
        member.setAwaitingJoin(joinFuture);
    }

    /**
     * Gives a static member's place to {@code newMemberId}, keeping everything else, and fences the
     * old member id: any request it has parked is answered FENCED_INSTANCE_ID.
     */
    ClassicGroupMember replaceStaticMember(String groupInstanceId, String oldMemberId, String newMemberId) {
        ClassicGroupMember old = members.remove(oldMemberId);
        if (old == null) {
            throw new IllegalArgumentException("Cannot replace unknown member " + oldMemberId);
        }
        completeJoin(old, new JoinGroupResponseData().setMemberId(oldMemberId).setProtocolName(null)
                .setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        completeSync(old, new SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        ClassicGroupMember replacement = new ClassicGroupMember(newMemberId, old.groupInstanceId(), old.clientId(),
                old.clientHost(), old.rebalanceTimeoutMs(), old.sessionTimeoutMs(), old.protocolType(),
                old.protocols(), old.assignment());
        members.put(newMemberId, replacement);
        if (isLeader(oldMemberId)) {
            leaderId = newMemberId;
        }
        staticMembers.put(groupInstanceId, newMemberId);
        return replacement;
    }

    /**
     * Keeps the leader if it rejoined, else elects a member that did.
     *
     * @return false when the group has no leader or no member rejoined
     */
    boolean maybeElectNewJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        if (members.get(leaderId).isAwaitingJoin()) {
            return true;
        }
        for (ClassicGroupMember member : members.values()) {
            if (member.isAwaitingJoin()) {
                leaderId = member.memberId();
                return true;
            }
        }
        return false;
    }

    /** Starts the next generation: CompletingRebalance with a chosen protocol, or Empty without members. */
    void initNextGeneration(long nowMs) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            refreshSubscribedTopics();
            transitionTo(ClassicGroupState.COMPLETING_REBALANCE, nowMs);
        } else {
            protocolName = null;
            refreshSubscribedTopics();
            transitionTo(ClassicGroupState.EMPTY, nowMs);
        }
        pendingSyncMembers.clear();
    }

    /** Sets the chosen protocol of a group built outside a rebalance (a downgraded consumer group). */
    void setProtocolName(String name) {
        protocolName = name;
        refreshSubscribedTopics();
    }

    void refreshSubscribedTopics() {
        subscribedTopics = SubscribedTopics.of(groupId, protocolType, protocolName, members.values());
    }

    void addPendingSyncMember(String memberId) {
        pendingSyncMembers.add(memberId);
    }

    void removePendingSyncMember(String memberId) {
        pendingSyncMembers.remove(memberId);
    }

    void clearPendingSyncMembers() {
        pendingSyncMembers.clear();
    }

    /** Answers the member's parked JoinGroup, if any; returns whether there was one. */
    boolean completeJoin(ClassicGroupMember member, JoinGroupResponseData response) {
        if (!member.isAwaitingJoin()) {
            return false;
        }
        CompletableFuture<JoinGroupResponseData> future = member.awaitingJoin();
        member.setAwaitingJoin(null);
        awaitingJoinCount--;
        future.complete(response);
        return true;
    }

    /** Answers the member's parked SyncGroup, if any; returns whether there was one. */
    boolean completeSync(ClassicGroupMember member, SyncGroupResponseData response) {
        if (!member.isAwaitingSync()) {
            return false;
        }
        CompletableFuture<SyncGroupResponseData> future = member.awaitingSync();
        member.setAwaitingSync(null);
        future.complete(response);
        return true;
    }

    @Override
    public String toString() {
        return "ClassicGroup(groupId=" + groupId + ", state=" + state + ", generation=" + generationId
                + ", protocolType=" + protocolType + ", protocol=" + protocolName + ", members=" + members.keySet() + ")";
    }
}
