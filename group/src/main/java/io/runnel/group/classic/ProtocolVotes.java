package io.runnel.group.classic;

import io.runnel.group.record.GroupRecordValue.ClassicProtocol;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many members support each protocol name, and Kafka's protocol choice: among the protocols
 * every member supports, each member votes for its most preferred one and the most votes win.
 * Confined to the coordinator thread.
 */
final class ProtocolVotes {

    private final Map<String, Integer> supporters = new HashMap<>();

    void add(ClassicGroupMember member) {
        member.protocols().forEach(protocol -> supporters.merge(protocol.name(), 1, Integer::sum));
    }

    void remove(ClassicGroupMember member) {
        member.protocols().forEach(protocol -> supporters.merge(protocol.name(), -1, Integer::sum));
    }

    /** Whether one of {@code names} is supported by all {@code memberCount} members. */
    boolean anySupportedByAll(Collection<String> names, int memberCount) {
        return names.stream().anyMatch(name -> supporters.getOrDefault(name, 0) == memberCount);
    }

    /** The protocol with the most votes among those every member supports (ties: any of them). */
    String select(Collection<ClassicGroupMember> members) {
        if (members.isEmpty()) {
            throw new IllegalStateException("Cannot select a protocol for a group without members");
        }
        Set<String> candidates = new HashSet<>();
        supporters.forEach((name, count) -> {
            if (count == members.size()) {
                candidates.add(name);
            }
        });
        Map<String, Integer> votes = new HashMap<>();
        members.forEach(member -> votes.merge(member.vote(candidates), 1, Integer::sum));
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** The names of {@code protocols}. */
    static List<String> names(List<ClassicProtocol> protocols) {
        return protocols.stream().map(ClassicProtocol::name).toList();
    }
}
