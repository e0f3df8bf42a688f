package io.runnel.group.classic;

import java.util.List;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The JoinGroup and SyncGroup responses the classic protocol sends, filled as Kafka fills them.
 * Version-specific fields are set regardless of version; wrap them in kafka-clients'
 * {@code JoinGroupResponse(data, version)} before encoding, which adjusts ProtocolName for v0-6.
 */
final class ClassicResponses {

    private ClassicResponses() {
    }

    /** A JoinGroup error; {@code memberId} is what Kafka echoes for that error (often ""). */
    static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setMemberId(memberId).setErrorCode(error.code());
    }

    /** The current generation for {@code memberId}; {@code withMembers} adds all members' metadata (the leader's view). */
    static JoinGroupResponseData joinSuccess(ClassicGroup group, String memberId, boolean withMembers) {
        return new JoinGroupResponseData()
                .setMembers(withMembers ? group.joinResponseMembers() : List.of())
                .setMemberId(memberId)
                .setGenerationId(group.generationId())
                .setProtocolName(group.protocolName())
                .setProtocolType(group.protocolType())
                .setLeader(leaderOrEmpty(group.leaderId()))
                .setSkipAssignment(false);
    }

    /** The member's assignment in the current generation. */
    static SyncGroupResponseData syncSuccess(ClassicGroup group, ClassicGroupMember member) {
        return new SyncGroupResponseData()
                .setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName())
                .setAssignment(member.assignment());
    }

    static String leaderOrEmpty(String leaderId) {
        return leaderId == null ? "" : leaderId;
    }
}
