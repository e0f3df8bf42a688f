package io.runnel.metadata.quorum;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One voter of the quorum: its node id and the host:port its Ratis server listens on. Immutable.
 *
 * @param nodeId the voter's {@code node.id}, also its Raft peer id
 * @param host host name or address the voter's Ratis server is reachable at
 * @param port port of the voter's Ratis server
 */
public record QuorumVoter(int nodeId, String host, int port) {

    public QuorumVoter {
        if (nodeId < 0) {
            throw new IllegalArgumentException("voter node id must be >= 0: " + nodeId);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("voter " + nodeId + " has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("voter " + nodeId + " has a bad port: " + port);
        }
    }

    /** {@code host:port}, the address form Ratis expects. */
    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /**
     * Parses Kafka's {@code controller.quorum.voters} form {@code "1@host:port,2@host:port"}.
     *
     * @throws IllegalArgumentException naming the bad entry, if an entry is malformed or a node id repeats
     */
    public static List<QuorumVoter> parseVoters(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("controller.quorum.voters is empty");
        }
        List<QuorumVoter> voters = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (String raw : value.split(",")) {
            QuorumVoter voter = parseEntry(raw.trim());
            if (!ids.add(voter.nodeId())) {
                throw new IllegalArgumentException("controller.quorum.voters names node " + voter.nodeId() + " twice");
            }
            voters.add(voter);
        }
        return List.copyOf(voters);
    }

    private static QuorumVoter parseEntry(String entry) {
        int at = entry.indexOf('@');
        int colon = entry.lastIndexOf(':');
        if (at <= 0 || colon <= at + 1 || colon == entry.length() - 1) {
            throw bad(entry, "expected id@host:port");
        }
        String host = entry.substring(at + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new QuorumVoter(Integer.parseInt(entry.substring(0, at)), host,
                    Integer.parseInt(entry.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw bad(entry, "id and port must be numbers");
        } catch (IllegalArgumentException e) {
            throw bad(entry, e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("bad controller.quorum.voters entry '" + entry + "': " + why);
    }
}
