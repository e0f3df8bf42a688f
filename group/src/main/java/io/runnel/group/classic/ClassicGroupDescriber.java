package io.runnel.group.classic;

import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeGroups for classic groups, as Kafka's {@code describeGroups}: the chosen protocol and the
 * members' metadata only when Stable; members' client details and assignments in every state.
 */
final class ClassicGroupDescriber {

    /** The first DescribeGroups version that reports an unknown group as GROUP_ID_NOT_FOUND. */
    static final short GROUP_ID_NOT_FOUND_MIN_VERSION = 6;

    private ClassicGroupDescriber() {
    }

    static DescribedGroup describe(ClassicGroup group) {
        boolean stable = group.isIn(ClassicGroupState.STABLE);
        String metadataProtocol = stable ? group.protocolName() : null;
        return new DescribedGroup()
                .setGroupId(group.groupId())
                .setGroupState(group.stateName())
                .setProtocolType(group.protocolType())
                .setProtocolData(stable ? group.protocolName() : "")
                .setMembers(group.members().stream().map(member -> member.describe(metadataProtocol)).toList());
    }

    /** A group this coordinator does not have as a classic group: state "Dead", and from v6 GROUP_ID_NOT_FOUND. */
    static DescribedGroup unknown(String groupId, boolean existsWithOtherProtocol, short apiVersion) {
        DescribedGroup described = new DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(ClassicGroupState.DEAD.wireName());
        if (apiVersion < GROUP_ID_NOT_FOUND_MIN_VERSION) {
            return described;
        }
        String message = existsWithOtherProtocol ? "Group " + groupId + " is not a classic group."
                : "Group " + groupId + " not found.";
        return described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(message);
    }
}
