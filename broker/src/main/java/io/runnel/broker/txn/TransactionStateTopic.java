package io.runnel.broker.txn;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.coordinator.InternalTopic;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.ClusterMetadata;
import java.util.Map;

/** The internal topic {@code __transaction_state}, which the transaction coordinator keeps its records in. */
public final class TransactionStateTopic {

    /** The topic's name. */
    public static final String NAME = "__transaction_state";

    private TransactionStateTopic() {
    }

    /**
     * The topic as the {@code transaction.state.log.*} settings describe it, with Kafka's topic configs:
     * compacted, unclean election off, min ISR from the settings.
     */
    public static InternalTopic create(ClusterMetadata controller, PartitionRegistry partitions, BrokerConfig.TransactionSettings settings) {
        return new InternalTopic(NAME, settings.partitionCount(), settings.replicationFactor(), configs(settings), controller, partitions);
    }

    static Map<String, String> configs(BrokerConfig.TransactionSettings settings) {
        return Map.of("cleanup.policy", "compact", "compression.type", "uncompressed", "unclean.leader.election.enable", "false",
                "min.insync.replicas", Integer.toString(settings.minIsr()), "segment.bytes", Integer.toString(settings.segmentBytes()));
    }
}
