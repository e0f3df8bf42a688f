package io.runnel.group.classic;

import io.runnel.group.record.GroupRecordValue.ClassicProtocol;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * A member of a classic group: who it is, its timeouts, the protocols it supports, its assignment,
 * and the JoinGroup or SyncGroup request it has parked while a rebalance is in progress.
 * Confined to the coordinator thread.
 */
public final class ClassicGroupMember {

    /** The assignment of a member the leader gave nothing to. */
    static final byte[] EMPTY_ASSIGNMENT = new byte[0];

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private final String protocolType;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<ClassicProtocol> protocols;
    private byte[] assignment;
    private CompletableFuture<JoinGroupResponseData> awaitingJoin;
    private CompletableFuture<SyncGroupResponseData> awaitingSync;
    private boolean isNew;

    ClassicGroupMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                       int rebalanceTimeoutMs, int sessionTimeoutMs, String protocolType,
                       List<ClassicProtocol> protocols, byte[] assignment) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = List.copyOf(protocols);
        this.assignment = assignment;
    }

    /** The member id the coordinator gave this member. */
    public String memberId() {
        return memberId;
    }

    /** The static member's {@code group.instance.id}, or null for a dynamic member. */
    public String groupInstanceId() {
        return groupInstanceId;
    }

    /** Whether the member uses static membership. */
    public boolean isStatic() {
        return groupInstanceId != null;
    }

    /** The client id of the member's last JoinGroup. */
    public String clientId() {
        return clientId;
    }

    /** The client's address, e.g. "/127.0.0.1". */
    public String clientHost() {
        return clientHost;
    }

    /** The member's protocol type, e.g. "consumer". */
    public String protocolType() {
        return protocolType;
    }

    /** How long the member may take to rejoin during a rebalance. */
    public int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    /** How long the member may go without a heartbeat. */
    public int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    /** The member's assignment in the current generation (empty until the leader assigns). */
    public byte[] assignment() {
        return assignment;
    }

    List<ClassicProtocol> protocols() {
        return protocols;
    }

    void setAssignment(byte[] assignment) {
        this.assignment = assignment;
    }

    void update(List<ClassicProtocol> protocols, int rebalanceTimeoutMs, int sessionTimeoutMs) {
        this.protocols = List.copyOf(protocols);
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    boolean isNew() {
        return isNew;
    }

    void setNew(boolean isNew) {
        this.isNew = isNew;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    CompletableFuture<JoinGroupResponseData> awaitingJoin() {
        return awaitingJoin;
    }

    void setAwaitingJoin(CompletableFuture<JoinGroupResponseData> future) {
        this.awaitingJoin = future;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    CompletableFuture<SyncGroupResponseData> awaitingSync() {
        return awaitingSync;
    }

    void setAwaitingSync(CompletableFuture<SyncGroupResponseData> future) {
        this.awaitingSync = future;
    }

    /**
     * Whether a missed heartbeat is forgiven: a member parked in JoinGroup or SyncGroup counts as
     * alive, except a member that is new in this rebalance (it may have gone away while parked).
     */
    boolean hasSatisfiedHeartbeat() {
        return !isNew && (isAwaitingJoin() || isAwaitingSync());
    }

    /** Whether {@code other} is exactly the member's protocol list (names, order and metadata). */
    boolean matches(List<ClassicProtocol> other) {
        return protocols.equals(other);
    }

    /** The metadata the member sent for {@code protocolName}. */
    byte[] metadata(String protocolName) {
        for (ClassicProtocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return protocol.metadata();
            }
        }
        throw new IllegalArgumentException("Member " + memberId + " does not support protocol " + protocolName);
    }

    /** The member's most preferred protocol among {@code candidates}. */
    String vote(Set<String> candidates) {
        for (ClassicProtocol protocol : protocols) {
            if (candidates.contains(protocol.name())) {
                return protocol.name();
            }
        }
        throw new IllegalArgumentException("Member " + memberId + " supports none of " + candidates);
    }

    /** The member as DescribeGroups shows it; {@code protocolName} null leaves the metadata out. */
    DescribedGroupMember describe(String protocolName) {
        DescribedGroupMember described = new DescribedGroupMember()
                .setMemberId(memberId)
                .setGroupInstanceId(groupInstanceId)
                .setClientId(clientId)
                .setClientHost(clientHost)
                .setMemberAssignment(assignment);
        return protocolName == null ? described : described.setMemberMetadata(metadata(protocolName));
    }

    @Override
    public String toString() {
        return "ClassicGroupMember(memberId=" + memberId + ", groupInstanceId=" + groupInstanceId
                + ", clientId=" + clientId + ", protocols=" + protocols + ")";
    }
}
