package io.runnel.broker.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One voter of {@code controller.quorum.voters}: {@code id@host:port}. Immutable.
 *
 * @param nodeId the voter's {@code node.id}
 * @param host   the host of its controller listener
 * @param port   the port of its controller listener
 */
public record QuorumVoterConfig(int nodeId, String host, int port) {

    private static final String KEY = "controller.quorum.voters";

    /** Parses the voters, as Kafka writes them; a node id given twice is refused. */
    static List<QuorumVoterConfig> parseList(List<?> entries) {
        List<QuorumVoterConfig> voters = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (Object entry : entries) {
            QuorumVoterConfig voter = parse(entry.toString().trim());
            if (!ids.add(voter.nodeId())) {
                throw new InvalidConfigException("Invalid value '" + entry + "' for configuration " + KEY
                        + ": node id " + voter.nodeId() + " is given twice");
            }
            voters.add(voter);
        }
        return List.copyOf(voters);
    }

    private static QuorumVoterConfig parse(String entry) {
        int at = entry.indexOf('@');
        HostPort address = at > 0 ? HostPort.parse(entry.substring(at + 1)) : null;
        if (address == null) {
            throw invalid(entry);
        }
        try {
            int nodeId = Integer.parseInt(entry.substring(0, at));
            if (nodeId < 0) {
                throw invalid(entry);
            }
            return new QuorumVoterConfig(nodeId, address.host(), address.port());
        } catch (NumberFormatException e) {
            throw invalid(entry);
        }
    }

    private static InvalidConfigException invalid(String entry) {
        return new InvalidConfigException("Invalid value '" + entry + "' for configuration " + KEY + ": expected id@host:port");
    }
}
