package io.runnel.metadata;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * One change to cluster metadata, as appended to the metadata log. Immutable. The records and their
 * fields follow Kafka's KRaft metadata records (TopicRecord, PartitionRecord, PartitionChangeRecord,
 * RegisterBrokerRecord, ...), so the replay logic reads as Kafka's does; the bytes on disk are
 * Runnel's own ({@link MetadataRecordSerde}).
 */
public sealed interface MetadataRecord {

    /** The cluster's id, chosen once by the first active controller (or given by the operator). */
    record ClusterIdRecord(String clusterId) implements MetadataRecord { }

    /** A finalized feature level, e.g. {@code metadata.version}. */
    record FeatureLevelRecord(String name, short level) implements MetadataRecord { }

    /** A broker registered (first start or restart); it starts fenced. */
    record RegisterBrokerRecord(BrokerRegistration registration) implements MetadataRecord { }

    /** A registered broker was fenced or unfenced, or began or ended a controlled shutdown. */
    record BrokerRegistrationChangeRecord(int brokerId, long brokerEpoch, boolean fenced, boolean inControlledShutdown)
            implements MetadataRecord { }

    /** A broker left the cluster for good. */
    record UnregisterBrokerRecord(int brokerId, long brokerEpoch) implements MetadataRecord { }

    /** A topic was created; its partitions follow as {@link PartitionRecord}s. */
    record TopicRecord(String name, Uuid topicId) implements MetadataRecord { }

    /** A partition was created (or, for an existing index, replaced whole). */
    record PartitionRecord(Uuid topicId, int partitionId, PartitionRegistration partition) implements MetadataRecord { }

    /**
     * A partition's leader, ISR, eligible leaders, replicas or reassignment changed; a null list and
     * {@link #NO_LEADER_CHANGE} mean unchanged. A leader field (even the same leader again) raises the
     * leader epoch; every change raises the partition epoch (see {@link PartitionRegistration#merge}).
     */
    record PartitionChangeRecord(Uuid topicId, int partitionId, int leader, List<Integer> isr, List<Integer> elr, List<Integer> replicas,
                                 List<Integer> lastKnownElr, List<Integer> addingReplicas, List<Integer> removingReplicas)
            implements MetadataRecord {

        /** The leader field of a change that keeps the leader. */
        public static final int NO_LEADER_CHANGE = -2;

        public PartitionChangeRecord {
            isr = copyOrNull(isr);
            elr = copyOrNull(elr);
            replicas = copyOrNull(replicas);
            lastKnownElr = copyOrNull(lastKnownElr);
            addingReplicas = copyOrNull(addingReplicas);
            removingReplicas = copyOrNull(removingReplicas);
        }

        /** A change that leaves the last known leader and any reassignment as they are. */
        public PartitionChangeRecord(Uuid topicId, int partitionId, int leader, List<Integer> isr, List<Integer> elr, List<Integer> replicas) {
            this(topicId, partitionId, leader, isr, elr, replicas, null, null, null);
        }

        private static List<Integer> copyOrNull(List<Integer> values) {
            return values == null ? null : List.copyOf(values);
        }
    }

    /** A topic was deleted. */
    record RemoveTopicRecord(Uuid topicId) implements MetadataRecord { }

    /** Producer ids below {@code nextProducerId} are handed out; the next block starts there. */
    record ProducerIdsAllocated(long nextProducerId) implements MetadataRecord { }

    /** A topic's config overrides are now exactly {@code configs} (Kafka names, e.g. {@code retention.ms}). */
    record TopicConfigsChanged(Uuid topicId, Map<String, String> configs) implements MetadataRecord {
        public TopicConfigsChanged {
            configs = Map.copyOf(configs);
        }
    }

    /**
     * The dynamic configs of a broker entity are now exactly {@code configs}: {@code broker} is a node
     * id, or {@value MetadataImage#DEFAULT_BROKER} for the cluster-wide default.
     */
    record BrokerConfigsChanged(String broker, Map<String, String> configs) implements MetadataRecord {
        public BrokerConfigsChanged {
            configs = Map.copyOf(configs);
        }
    }

    /**
     * An ACL was added, under an id the controller chose (Kafka's AccessControlEntryRecord): a LITERAL or
     * PREFIXED pattern of a concrete resource type, a concrete operation, ALLOW or DENY.
     */
    record AccessControlEntryRecord(Uuid id, AclBinding acl) implements MetadataRecord { }

    /** The ACL of this id was removed (Kafka's RemoveAccessControlEntryRecord). */
    record RemoveAccessControlEntryRecord(Uuid id) implements MetadataRecord { }

    /**
     * A user's SCRAM credential for one mechanism was set, as Kafka's UserScramCredentialRecord: the
     * mechanism's type (1 SCRAM-SHA-256, 2 SCRAM-SHA-512), salt, stored key, server key and iterations.
     * The password itself is never kept.
     */
    record UserScramCredentialRecord(String name, byte mechanism, byte[] salt, byte[] storedKey, byte[] serverKey, int iterations)
            implements MetadataRecord {
        public UserScramCredentialRecord {
            salt = salt.clone();
            storedKey = storedKey.clone();
            serverKey = serverKey.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] storedKey() {
            return storedKey.clone();
        }

        @Override
        public byte[] serverKey() {
            return serverKey.clone();
        }

        /** Equal when every field is, the byte arrays by content. */
        @Override
        public boolean equals(Object other) {
            return other instanceof UserScramCredentialRecord that && name.equals(that.name) && mechanism == that.mechanism
                    && iterations == that.iterations && Arrays.equals(salt, that.salt)
                    && Arrays.equals(storedKey, that.storedKey) && Arrays.equals(serverKey, that.serverKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, mechanism, iterations, Arrays.hashCode(salt));
        }

        /** Names the user and mechanism only: keys stay out of logs. */
        @Override
        public String toString() {
            return "UserScramCredentialRecord[name=" + name + ", mechanism=" + mechanism + ", iterations=" + iterations + "]";
        }
    }

    /** A user's SCRAM credential for one mechanism was removed, as Kafka's RemoveUserScramCredentialRecord. */
    record RemoveUserScramCredentialRecord(String name, byte mechanism) implements MetadataRecord { }

    /**
     * One client quota was set or removed, as Kafka's ClientQuotaRecord: the entity (entity type
     * {@code user} and/or {@code client-id}, each name null for the default entity), the key
     * ({@code producer_byte_rate}, {@code consumer_byte_rate}, {@code request_percentage},
     * {@code controller_mutation_rate}) and its value; {@code remove} removes the key (value ignored).
     */
    record ClientQuotaRecord(ClientQuotaEntity entity, String key, double value, boolean remove) implements MetadataRecord { }
}
