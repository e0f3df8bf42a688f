package io.runnel.metadata.quorum;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;

/** Reads a {@link QuorumStatus} out of a Ratis division. Stateless; safe from any thread (values may be slightly apart in time). */
final class StatusSampler {

    private StatusSampler() {
    }

    static QuorumStatus sample(int selfId, List<QuorumVoter> voters, RaftServer.Division division, long nowMs) {
        DivisionInfo info = division.getInfo();
        long highWatermark = division.getRaftLog().getLastCommittedIndex();
        TermIndex last = division.getRaftLog().getLastEntryTermIndex();
        Map<Integer, QuorumStatus.VoterStatus> known = new HashMap<>();
        known.put(selfId, new QuorumStatus.VoterStatus(selfId, last == null ? -1 : last.getIndex(), nowMs, nowMs));
        if (info.isLeader()) {
            followers(info, highWatermark, nowMs).forEach(v -> known.put(v.nodeId(), v));
        }
        List<QuorumStatus.VoterStatus> perVoter = voters.stream()
                .map(v -> known.getOrDefault(v.nodeId(), new QuorumStatus.VoterStatus(v.nodeId(), -1, -1, -1)))
                .toList();
        return new QuorumStatus(RatisGroup.nodeId(info.getLeaderId()), info.getCurrentTerm(), highWatermark, perVoter,
                List.of());
    }

    /** Ratis lists followers and their match indices in the same (log appender) order. */
    private static List<QuorumStatus.VoterStatus> followers(DivisionInfo info, long highWatermark, long nowMs) {
        RoleInfoProto role = info.getRoleInfoProto();
        long[] matchIndices = info.getFollowerMatchIndices();
        if (!role.hasLeaderInfo() || matchIndices == null
                || matchIndices.length != role.getLeaderInfo().getFollowerInfoCount()) {
            return List.of();
        }
        List<ServerRpcProto> rpcs = role.getLeaderInfo().getFollowerInfoList();
        return IntStream.range(0, rpcs.size()).mapToObj(i -> {
            int nodeId = RatisGroup.nodeId(RaftPeerId.valueOf(rpcs.get(i).getId().getId()));
            long lastFetch = nowMs - rpcs.get(i).getLastRpcElapsedTimeMs();
            long caughtUp = matchIndices[i] >= highWatermark ? lastFetch : -1;
            return new QuorumStatus.VoterStatus(nodeId, matchIndices[i], lastFetch, caughtUp);
        }).toList();
    }
}
