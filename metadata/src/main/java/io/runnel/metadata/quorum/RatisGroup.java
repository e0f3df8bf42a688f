package io.runnel.metadata.quorum;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * The mapping between Runnel voters and Ratis identities. The group id and peer ids are fixed (derived from
 * constants and node ids), so storage written by one run is recovered by the next. Stateless.
 */
final class RatisGroup {

    /** The one Raft group of a Runnel cluster's metadata quorum. */
    static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("runnel-metadata".getBytes(StandardCharsets.UTF_8)));

    private RatisGroup() {
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    /** The node id of a peer id this package created; -1 for null (no leader known). */
    static int nodeId(RaftPeerId peerId) {
        return peerId == null ? -1 : Integer.parseInt(peerId.toString());
    }

    static RaftGroup of(List<QuorumVoter> voters) {
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a quorum needs at least one voter");
        }
        List<RaftPeer> peers = voters.stream()
                .map(v -> RaftPeer.newBuilder().setId(peerId(v.nodeId())).setAddress(v.address()).build())
                .toList();
        return RaftGroup.valueOf(GROUP_ID, peers);
    }
}
