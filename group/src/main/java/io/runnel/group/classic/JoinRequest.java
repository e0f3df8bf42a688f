package io.runnel.group.classic;

import io.runnel.group.GroupRequestContext;
import io.runnel.group.record.GroupRecordValue.ClassicProtocol;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.requests.JoinGroupRequest;

/**
 * A JoinGroup request with its sender, normalised across versions (v0 has no rebalance timeout and
 * uses the session timeout, as kafka-clients' JoinGroupRequest does).
 */
record JoinRequest(String groupId, String memberId, String groupInstanceId, String protocolType,
                   List<ClassicProtocol> protocols, int rebalanceTimeoutMs, int sessionTimeoutMs,
                   String clientId, String clientHost, short apiVersion) {

    static JoinRequest of(GroupRequestContext ctx, JoinGroupRequestData request) {
        int rebalanceTimeoutMs = ctx.apiVersion() == 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
        return new JoinRequest(request.groupId(), request.memberId() == null ? "" : request.memberId(),
                request.groupInstanceId(), request.protocolType(), protocolsOf(request.protocols()),
                rebalanceTimeoutMs, request.sessionTimeoutMs(), ctx.clientId(), ctx.clientHost(), ctx.apiVersion());
    }

    /** The protocols of a JoinGroup request, in the member's order of preference. */
    private static List<ClassicProtocol> protocolsOf(Iterable<JoinGroupRequestProtocol> protocols) {
        List<ClassicProtocol> list = new ArrayList<>();
        for (JoinGroupRequestProtocol protocol : protocols) {
            list.add(new ClassicProtocol(protocol.name(), protocol.metadata()));
        }
        return List.copyOf(list);
    }

    boolean isUnknownMember() {
        return memberId.isEmpty();
    }

    List<String> protocolNames() {
        return ProtocolVotes.names(protocols);
    }

    /** From v4 a new dynamic member must first get its member id (MEMBER_ID_REQUIRED) and rejoin with it. */
    boolean requiresKnownMemberId() {
        return JoinGroupRequest.requiresKnownMemberId(apiVersion);
    }

    /** From v9 a static leader rejoining without a rebalance is told to skip computing an assignment. */
    boolean supportsSkippingAssignment() {
        return JoinGroupRequest.supportsSkippingAssignment(apiVersion);
    }

    /** A new member (fresh from the request) with this request's settings. */
    ClassicGroupMember newMember(String newMemberId) {
        return new ClassicGroupMember(newMemberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
                sessionTimeoutMs, protocolType, protocols, ClassicGroupMember.EMPTY_ASSIGNMENT);
    }
}
