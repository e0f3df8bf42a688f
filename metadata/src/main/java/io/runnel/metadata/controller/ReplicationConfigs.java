package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicMetadata;
import java.util.Map;

/**
 * A topic's effective {@code min.insync.replicas} and {@code unclean.leader.election.enable} as Kafka's
 * controller resolves them with eligible leader replicas on: the topic's override, else the cluster's
 * dynamic default (broker entity {@value MetadataImage#DEFAULT_BROKER}), else the controller's static
 * config; a value that does not parse counts as unset. Immutable; one per image.
 */
final class ReplicationConfigs {

    static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    private final Map<String, String> clusterDefaults;
    private final ControllerConfig staticConfig;

    ReplicationConfigs(MetadataImage image, ControllerConfig staticConfig) {
        this.clusterDefaults = image.brokerConfigs(MetadataImage.DEFAULT_BROKER);
        this.staticConfig = staticConfig;
    }

    /** The topic's min.insync.replicas, at most its replica count (as Kafka's controller bounds it). */
    int minInsyncReplicas(TopicMetadata topic) {
        int configured = intOf(topic.configs().get(MIN_INSYNC_REPLICAS),
                intOf(clusterDefaults.get(MIN_INSYNC_REPLICAS), staticConfig.minInsyncReplicas()));
        return topic.partitionCount() == 0 ? configured : Math.min(configured, topic.partition(0).targetReplicas().size());
    }

    /** Whether the topic may elect a leader outside its in-sync and eligible replicas. */
    boolean uncleanLeaderElection(TopicMetadata topic) {
        return booleanOf(topic.configs().get(UNCLEAN_LEADER_ELECTION_ENABLE),
                booleanOf(clusterDefaults.get(UNCLEAN_LEADER_ELECTION_ENABLE), staticConfig.uncleanLeaderElectionEnable()));
    }

    private static int intOf(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static boolean booleanOf(String value, boolean otherwise) {
        if (value == null) {
            return otherwise;
        }
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(trimmed);
        }
        return otherwise;
    }
}
