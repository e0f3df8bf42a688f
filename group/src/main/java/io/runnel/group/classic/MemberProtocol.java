package io.runnel.group.classic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;

/**
 * One protocol (assignor) a classic member supports, with its metadata (for "consumer", the
 * serialized subscription). Equal when name and metadata bytes are equal. The bytes are never modified.
 */
record MemberProtocol(String name, byte[] metadata) {

    /** The protocols of a JoinGroup request, in the member's order of preference. */
    static List<MemberProtocol> listOf(Iterable<JoinGroupRequestProtocol> protocols) {
        List<MemberProtocol> list = new ArrayList<>();
        for (JoinGroupRequestProtocol protocol : protocols) {
            list.add(new MemberProtocol(protocol.name(), protocol.metadata()));
        }
        return List.copyOf(list);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MemberProtocol that && name.equals(that.name) && Arrays.equals(metadata, that.metadata);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(metadata);
    }

    @Override
    public String toString() {
        return name;
    }
}
