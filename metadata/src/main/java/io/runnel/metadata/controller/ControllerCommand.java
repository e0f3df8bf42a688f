package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.MetadataRecord;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;

/**
 * A request to the active controller: a metadata change, or a broker's registration or heartbeat. The
 * controller answers each with records to append and a reply (see {@link ClusterController}). Immutable.
 */
public sealed interface ControllerCommand {

    /**
     * Create a topic; {@code assignments} (partition index to replica ids) is empty to let the
     * controller place the replicas. Replies with the {@link io.runnel.metadata.TopicMetadata} as created.
     */
    record CreateTopic(String name, int partitions, int replicationFactor, Map<Integer, List<Integer>> assignments,
                       Map<String, String> configs, boolean validateOnly) implements ControllerCommand {
        public CreateTopic {
            assignments = Map.copyOf(assignments);
            configs = Map.copyOf(configs);
        }
    }

    /** Delete a topic. Replies with the topic as it was. */
    record DeleteTopic(Uuid topicId) implements ControllerCommand { }

    /** Raise a topic's partition count; {@code assignments} names the new partitions' replicas, or is empty. */
    record CreatePartitions(Uuid topicId, int partitionCount, List<List<Integer>> assignments, boolean validateOnly)
            implements ControllerCommand {
        public CreatePartitions {
            assignments = List.copyOf(assignments);
        }
    }

    /** Replace a topic's config overrides. */
    record AlterTopicConfigs(Uuid topicId, Map<String, String> configs) implements ControllerCommand {
        public AlterTopicConfigs {
            configs = Map.copyOf(configs);
        }
    }

    /** Replace a broker entity's dynamic configs ({@code ""} for the cluster default). */
    record AlterBrokerConfigs(String broker, Map<String, String> configs) implements ControllerCommand {
        public AlterBrokerConfigs {
            configs = Map.copyOf(configs);
        }
    }

    /**
     * Add ACLs (already validated by the broker); one that exists already is not added twice, as in
     * Kafka's AclControlManager. No reply.
     */
    record CreateAcls(List<AclBinding> acls) implements ControllerCommand {
        public CreateAcls {
            acls = List.copyOf(acls);
        }
    }

    /** Remove the ACLs of these ids; an id no longer present is skipped. No reply. */
    record DeleteAcls(List<Uuid> ids) implements ControllerCommand {
        public DeleteAcls {
            ids = List.copyOf(ids);
        }
    }

    /**
     * Set and remove users' SCRAM credentials: {@code changes} are UserScramCredentialRecords and
     * RemoveUserScramCredentialRecords, already checked by the broker (Kafka's AlterUserScramCredentials).
     */
    record AlterScramCredentials(List<MetadataRecord> changes) implements ControllerCommand {
        public AlterScramCredentials {
            for (MetadataRecord change : changes) {
                if (!(change instanceof MetadataRecord.UserScramCredentialRecord) && !(change instanceof MetadataRecord.RemoveUserScramCredentialRecord)) {
                    throw new IllegalArgumentException("not a SCRAM credential change: " + change);
                }
            }
            changes = List.copyOf(changes);
        }
    }

    /**
     * Set and remove client quotas: {@code changes} are ClientQuotaRecords, already checked by the broker
     * (Kafka's AlterClientQuotas). No reply.
     */
    record AlterClientQuotas(List<MetadataRecord.ClientQuotaRecord> changes) implements ControllerCommand {
        public AlterClientQuotas {
            changes = List.copyOf(changes);
        }
    }

    /** Reserve {@code count} producer ids. Replies with the first. */
    record AllocateProducerIds(int count) implements ControllerCommand { }

    /**
     * Elect leaders: the preferred replica ({@code unclean} false), or any live replica of a partition
     * that has no leader ({@code unclean} true). Replies with an {@link PartitionResult} per partition.
     */
    record ElectLeaders(boolean unclean, List<PartitionId> partitions) implements ControllerCommand {
        public ElectLeaders {
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * Move partitions to other replicas ({@code replicas} null: cancel a move), as Kafka's
     * AlterPartitionReassignments: the new replicas join and copy the data, and once all of them are in
     * sync the removed ones leave. With {@code allowReplicationFactorChange} false a move may not change
     * the partition's replica count (KIP-860). Replies with a {@link PartitionResult} per partition.
     */
    record AlterReassignments(List<Reassignment> reassignments, boolean allowReplicationFactorChange) implements ControllerCommand {
        public AlterReassignments {
            reassignments = List.copyOf(reassignments);
        }

        /** Moves that may change replica counts, as before KIP-860. */
        public AlterReassignments(List<Reassignment> reassignments) {
            this(reassignments, true);
        }
    }

    /** A partition and the replicas it should move to, or null to cancel its move. */
    record Reassignment(PartitionId partition, List<Integer> replicas) {
        public Reassignment {
            replicas = replicas == null ? null : List.copyOf(replicas);
        }
    }

    /**
     * A broker process registers. Replies with its new broker epoch. {@code previousBrokerEpoch} is the
     * epoch the broker's previous process had when it shut down cleanly (Kafka's BrokerRegistration
     * PreviousBrokerEpoch, KIP-966), or {@link #UNKNOWN_PREVIOUS_EPOCH}: a new process whose previous
     * epoch is not the one registered is taken as back from an unclean shutdown (it may have lost
     * unflushed records), so it leaves the eligible leaders of its partitions.
     */
    record RegisterBroker(int brokerId, Uuid incarnationId, Uuid directoryId, String clusterId, List<BrokerEndpoint> endpoints, String rack,
                          long previousBrokerEpoch) implements ControllerCommand {

        /** The previous epoch of a broker that does not know it (first start, or no clean shutdown): taken as unclean. */
        public static final long UNKNOWN_PREVIOUS_EPOCH = -1;

        public RegisterBroker {
            endpoints = List.copyOf(endpoints);
        }

        /** A registration that does not know its previous epoch, as Kafka's default: unclean-safe. */
        public RegisterBroker(int brokerId, Uuid incarnationId, Uuid directoryId, String clusterId, List<BrokerEndpoint> endpoints, String rack) {
            this(brokerId, incarnationId, directoryId, clusterId, endpoints, rack, UNKNOWN_PREVIOUS_EPOCH);
        }
    }

    /** A registered broker is alive, has replayed the metadata log to {@code metadataOffset}, and may want to shut down. */
    record BrokerHeartbeat(int brokerId, long brokerEpoch, long metadataOffset, boolean wantShutDown) implements ControllerCommand { }

    /**
     * A partition leader asks to change the ISR of partitions it leads (Kafka's AlterPartition): sent by
     * broker {@code brokerId} in its registration {@code brokerEpoch}. Replies with one
     * {@link IsrChangeResult} per change, in order; a sender that is not registered, has another epoch or
     * is fenced is refused whole (STALE_BROKER_EPOCH, BROKER_NOT_AVAILABLE).
     */
    record AlterPartition(int brokerId, long brokerEpoch, List<IsrChange> changes) implements ControllerCommand {
        public AlterPartition {
            changes = List.copyOf(changes);
        }
    }

    /**
     * One partition's ISR as its leader wants it: valid only against the partition at exactly
     * {@code leaderEpoch} and {@code partitionEpoch}, so a leader that missed a change cannot undo it.
     */
    record IsrChange(Uuid topicId, int partition, int leaderEpoch, int partitionEpoch, List<IsrMember> newIsr) {
        public IsrChange {
            newIsr = List.copyOf(newIsr);
        }
    }

    /**
     * A member of a proposed ISR, with the broker epoch the leader saw it fetch in; {@link #UNKNOWN_EPOCH}
     * skips the epoch check (as Kafka does for requests that carry none).
     */
    record IsrMember(int brokerId, long brokerEpoch) {
        /** The broker epoch of a member whose epoch the leader does not know. */
        public static final long UNKNOWN_EPOCH = -1;
    }

    /**
     * One ISR change's outcome: Kafka's error code (0 for none), and the partition as committed after
     * it. The registration is null on error, except NEW_LEADER_ELECTED: the change was committed and
     * completed a reassignment that moved leadership away from the sender, whose registration it is.
     */
    record IsrChangeResult(Uuid topicId, int partition, short errorCode, io.runnel.metadata.PartitionRegistration registration) { }

    /** A partition by topic id and index. */
    record PartitionId(Uuid topicId, int partition) { }

    /** How a broker's heartbeat was taken: is it fenced, and may it shut down now. */
    record HeartbeatReply(boolean fenced, boolean shouldShutDown) { }

    /** One partition's outcome of an election or reassignment: an error code (Kafka's) and message, or 0 and null. */
    record PartitionResult(PartitionId partition, short errorCode, String message) { }

    /**
     * Set finalized feature levels (Kafka's UpdateFeatures); all or none. Replies with nothing.
     *
     * @param validateOnly check the updates without writing them
     */
    record UpdateFeatures(List<FeatureUpdate> updates, boolean validateOnly) implements ControllerCommand {
        public UpdateFeatures {
            updates = List.copyOf(updates);
        }
    }

    /**
     * One feature's new finalized level.
     *
     * @param upgradeType Kafka's: 1 upgrade, 2 safe downgrade, 3 unsafe downgrade
     */
    record FeatureUpdate(String feature, short level, byte upgradeType) {
        public static final byte UPGRADE = 1;
        public static final byte SAFE_DOWNGRADE = 2;
        public static final byte UNSAFE_DOWNGRADE = 3;
    }
}
