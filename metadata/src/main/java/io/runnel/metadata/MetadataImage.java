package io.runnel.metadata;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * The cluster metadata at one point of the metadata log: an immutable value, replaced (never changed)
 * when records are applied, so readers on any thread see a consistent whole without locks.
 */
public final class MetadataImage {

    /** The broker entity of the cluster-wide default dynamic broker configs, as Kafka names it. */
    public static final String DEFAULT_BROKER = "";

    /** The image before any record. */
    public static final MetadataImage EMPTY = new MetadataImage(null, Map.of(), Map.of(), Map.of(), 0L, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0L, 0L);

    private final String clusterId;
    private final Map<String, TopicMetadata> topicsByName;
    private final Map<Uuid, TopicMetadata> topicsById;
    private final Map<Integer, BrokerRegistration> brokers;
    private final long nextProducerId;
    private final Map<String, Map<String, String>> brokerConfigs;
    private final Map<String, Short> features;
    private final Map<Uuid, AclBinding> acls;
    /** By user name, then mechanism type: the SCRAM credentials. */
    private final Map<String, Map<Byte, MetadataRecord.UserScramCredentialRecord>> scramCredentials;
    /** By entity, then key: the client quotas. */
    private final Map<ClientQuotaEntity, Map<String, Double>> clientQuotas;
    private final long highestBrokerEpoch;
    private final long offset;

    MetadataImage(String clusterId, Map<String, TopicMetadata> topicsByName, Map<Uuid, TopicMetadata> topicsById,
                  Map<Integer, BrokerRegistration> brokers, long nextProducerId, Map<String, Map<String, String>> brokerConfigs,
                  Map<String, Short> features, Map<Uuid, AclBinding> acls,
                  Map<String, Map<Byte, MetadataRecord.UserScramCredentialRecord>> scramCredentials,
                  Map<ClientQuotaEntity, Map<String, Double>> clientQuotas, long highestBrokerEpoch, long offset) {
        this.clusterId = clusterId;
        this.topicsByName = topicsByName;
        this.topicsById = topicsById;
        this.brokers = brokers;
        this.nextProducerId = nextProducerId;
        this.brokerConfigs = brokerConfigs;
        this.features = features;
        this.acls = acls;
        this.scramCredentials = scramCredentials;
        this.clientQuotas = clientQuotas;
        this.highestBrokerEpoch = highestBrokerEpoch;
        this.offset = offset;
    }

    /** The image that results from applying {@code records} in order, as of metadata log offset {@code newOffset}. */
    public MetadataImage apply(List<MetadataRecord> records, long newOffset) {
        MetadataImageBuilder builder = new MetadataImageBuilder(this);
        records.forEach(builder::apply);
        return builder.build(newOffset);
    }

    /** The image that results from applying one record, at the same offset (tests and simple replays). */
    public MetadataImage apply(MetadataRecord record) {
        return apply(List.of(record), offset);
    }

    /** The cluster id, or null before the first controller recorded one. */
    public String clusterId() {
        return clusterId;
    }

    /** The metadata log offset this image reflects: every entry up to it is applied. */
    public long offset() {
        return offset;
    }

    /** The topic of this name, if it exists. */
    public Optional<TopicMetadata> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    /** The topic of this id, if it exists. */
    public Optional<TopicMetadata> topic(Uuid id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    /** Every topic. */
    public Collection<TopicMetadata> topics() {
        return topicsByName.values();
    }

    /** Every registered broker, fenced or not, by id. */
    public Map<Integer, BrokerRegistration> brokers() {
        return brokers;
    }

    /** The broker of this id, if registered. */
    public Optional<BrokerRegistration> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }

    /** The highest broker epoch ever handed out; the next registration gets a higher one. */
    public long highestBrokerEpoch() {
        return highestBrokerEpoch;
    }

    /** The first producer id not yet handed out. */
    public long nextProducerId() {
        return nextProducerId;
    }

    /** The finalized feature levels, by feature name. */
    public Map<String, Short> features() {
        return features;
    }

    /**
     * Every ACL, by the id the controller gave it. The same map instance is kept by images that did not
     * change ACLs, so a reader can tell by identity that its index is still current.
     */
    public Map<Uuid, AclBinding> acls() {
        return acls;
    }

    /** The dynamic configs of every broker entity that has some, by entity. */
    public Map<String, Map<String, String>> brokerConfigs() {
        return brokerConfigs;
    }

    /**
     * The dynamic configs of a broker entity (a node id, or {@link #DEFAULT_BROKER}); empty if none
     * are set.
     */
    public Map<String, String> brokerConfigs(String broker) {
        return brokerConfigs.getOrDefault(broker, Map.of());
    }

    /** Every user's SCRAM credentials, by user name then mechanism type (Kafka's ScramMechanism type: 1 SHA-256, 2 SHA-512). */
    public Map<String, Map<Byte, MetadataRecord.UserScramCredentialRecord>> scramCredentials() {
        return scramCredentials;
    }

    /** A user's SCRAM credential for a mechanism type, or null when none is set. */
    public MetadataRecord.UserScramCredentialRecord scramCredential(String user, byte mechanism) {
        return scramCredentials.getOrDefault(user, Map.of()).get(mechanism);
    }

    /**
     * Every client quota, by entity (Kafka's {@link ClientQuotaEntity}: {@code user} and/or {@code client-id},
     * a null name for the default entity) then key. The same map instance is kept by images that did not
     * change quotas, so a reader can tell by identity that what it resolved from them is still current.
     */
    public Map<ClientQuotaEntity, Map<String, Double>> clientQuotas() {
        return clientQuotas;
    }

    /**
     * This image as the records that rebuild it from {@link #EMPTY}: what a snapshot holds, and what a
     * broker that is too far behind the log is sent.
     */
    public List<MetadataRecord> asRecords() {
        List<MetadataRecord> records = new java.util.ArrayList<>();
        if (clusterId != null) {
            records.add(new MetadataRecord.ClusterIdRecord(clusterId));
        }
        features.forEach((name, level) -> records.add(new MetadataRecord.FeatureLevelRecord(name, level)));
        brokers.values().forEach(broker -> records.add(new MetadataRecord.RegisterBrokerRecord(broker)));
        for (TopicMetadata topic : topicsById.values()) {
            records.add(new MetadataRecord.TopicRecord(topic.name(), topic.id()));
            for (int i = 0; i < topic.partitionCount(); i++) {
                records.add(new MetadataRecord.PartitionRecord(topic.id(), i, topic.partition(i)));
            }
            if (!topic.configs().isEmpty()) {
                records.add(new MetadataRecord.TopicConfigsChanged(topic.id(), topic.configs()));
            }
        }
        brokerConfigs.forEach((broker, configs) -> records.add(new MetadataRecord.BrokerConfigsChanged(broker, configs)));
        acls.forEach((id, acl) -> records.add(new MetadataRecord.AccessControlEntryRecord(id, acl)));
        scramCredentials.values().forEach(credentials -> records.addAll(credentials.values()));
        clientQuotas.forEach((entity, quotas) ->
                quotas.forEach((key, value) -> records.add(new MetadataRecord.ClientQuotaRecord(entity, key, value, false))));
        records.add(new MetadataRecord.ProducerIdsAllocated(nextProducerId));
        return records;
    }

    /** Builds the image after a batch of records; the maps are copied once per batch, not per record. */
    private static final class MetadataImageBuilder {
        private String clusterId;
        private final Map<String, TopicMetadata> topicsByName;
        private final Map<Uuid, TopicMetadata> topicsById;
        private final Map<Integer, BrokerRegistration> brokers;
        private long nextProducerId;
        private final Map<String, Map<String, String>> brokerConfigs;
        private final Map<String, Short> features;
        private final Map<Uuid, AclBinding> previousAcls;
        private Map<Uuid, AclBinding> acls;
        private final Map<String, Map<Byte, MetadataRecord.UserScramCredentialRecord>> scramCredentials;
        private final Map<ClientQuotaEntity, Map<String, Double>> previousClientQuotas;
        private Map<ClientQuotaEntity, Map<String, Double>> clientQuotas;
        private long highestBrokerEpoch;

        MetadataImageBuilder(MetadataImage image) {
            clusterId = image.clusterId;
            topicsByName = new HashMap<>(image.topicsByName);
            topicsById = new HashMap<>(image.topicsById);
            brokers = new HashMap<>(image.brokers);
            nextProducerId = image.nextProducerId;
            brokerConfigs = new HashMap<>(image.brokerConfigs);
            features = new HashMap<>(image.features);
            previousAcls = image.acls;
            scramCredentials = new HashMap<>(image.scramCredentials);
            previousClientQuotas = image.clientQuotas;
            highestBrokerEpoch = image.highestBrokerEpoch;
        }

        void apply(MetadataRecord record) {
            if (record instanceof MetadataRecord.TopicRecord topic) {
                putTopic(new TopicMetadata(topic.name(), topic.topicId(), List.of(), Map.of()));
            } else if (record instanceof MetadataRecord.PartitionRecord partition) {
                updateTopic(partition.topicId(), t -> t.withPartition(partition.partitionId(), partition.partition()));
            } else if (record instanceof MetadataRecord.PartitionChangeRecord change) {
                updateTopic(change.topicId(), t -> change.partitionId() < t.partitionCount()
                        ? t.withPartition(change.partitionId(), t.partition(change.partitionId()).merge(change)) : t);
            } else if (record instanceof MetadataRecord.RemoveTopicRecord removed) {
                TopicMetadata topic = topicsById.remove(removed.topicId());
                if (topic != null) {
                    topicsByName.remove(topic.name());
                }
            } else if (record instanceof MetadataRecord.TopicConfigsChanged changed) {
                updateTopic(changed.topicId(), t -> t.withConfigs(changed.configs()));
            } else {
                applyClusterRecord(record);
            }
        }

        private void applyClusterRecord(MetadataRecord record) {
            if (record instanceof MetadataRecord.RegisterBrokerRecord registered) {
                BrokerRegistration registration = registered.registration();
                brokers.put(registration.id(), registration);
                highestBrokerEpoch = Math.max(highestBrokerEpoch, registration.epoch());
            } else if (record instanceof MetadataRecord.BrokerRegistrationChangeRecord change) {
                BrokerRegistration broker = brokers.get(change.brokerId());
                if (broker != null && broker.epoch() == change.brokerEpoch()) {
                    brokers.put(change.brokerId(), broker.withState(change.fenced(), change.inControlledShutdown()));
                }
            } else if (record instanceof MetadataRecord.UnregisterBrokerRecord unregistered) {
                brokers.computeIfPresent(unregistered.brokerId(), (id, broker) -> broker.epoch() == unregistered.brokerEpoch() ? null : broker);
            } else if (record instanceof MetadataRecord.ClusterIdRecord cluster) {
                clusterId = cluster.clusterId();
            } else if (record instanceof MetadataRecord.FeatureLevelRecord feature) {
                features.put(feature.name(), feature.level());
            } else if (record instanceof MetadataRecord.BrokerConfigsChanged changed) {
                if (changed.configs().isEmpty()) {
                    brokerConfigs.remove(changed.broker());
                } else {
                    brokerConfigs.put(changed.broker(), changed.configs());
                }
            } else if (record instanceof MetadataRecord.ProducerIdsAllocated allocated) {
                nextProducerId = Math.max(nextProducerId, allocated.nextProducerId());
            } else if (record instanceof MetadataRecord.AccessControlEntryRecord entry) {
                changedAcls().put(entry.id(), entry.acl());
            } else if (record instanceof MetadataRecord.RemoveAccessControlEntryRecord removed) {
                changedAcls().remove(removed.id());
            } else {
                applyScramRecord(record);
            }
        }

        private void applyScramRecord(MetadataRecord record) {
            if (record instanceof MetadataRecord.UserScramCredentialRecord credential) {
                Map<Byte, MetadataRecord.UserScramCredentialRecord> user = new HashMap<>(scramCredentials.getOrDefault(credential.name(), Map.of()));
                user.put(credential.mechanism(), credential);
                scramCredentials.put(credential.name(), Map.copyOf(user));
            } else if (record instanceof MetadataRecord.RemoveUserScramCredentialRecord removed) {
                Map<Byte, MetadataRecord.UserScramCredentialRecord> user = new HashMap<>(scramCredentials.getOrDefault(removed.name(), Map.of()));
                user.remove(removed.mechanism());
                if (user.isEmpty()) {
                    scramCredentials.remove(removed.name());
                } else {
                    scramCredentials.put(removed.name(), Map.copyOf(user));
                }
            } else if (record instanceof MetadataRecord.ClientQuotaRecord quota) {
                applyClientQuota(quota);
            }
        }

        private void applyClientQuota(MetadataRecord.ClientQuotaRecord quota) {
            if (clientQuotas == null) {
                clientQuotas = new HashMap<>(previousClientQuotas);
            }
            Map<String, Double> entity = new HashMap<>(clientQuotas.getOrDefault(quota.entity(), Map.of()));
            if (quota.remove()) {
                entity.remove(quota.key());
            } else {
                entity.put(quota.key(), quota.value());
            }
            if (entity.isEmpty()) {
                clientQuotas.remove(quota.entity());
            } else {
                clientQuotas.put(quota.entity(), Map.copyOf(entity));
            }
        }

        /** The ACLs, copied on the batch's first ACL change only: most batches leave them (and their map) as they were. */
        private Map<Uuid, AclBinding> changedAcls() {
            if (acls == null) {
                acls = new HashMap<>(previousAcls);
            }
            return acls;
        }

        private void putTopic(TopicMetadata topic) {
            topicsByName.put(topic.name(), topic);
            topicsById.put(topic.id(), topic);
        }

        private void updateTopic(Uuid topicId, java.util.function.UnaryOperator<TopicMetadata> change) {
            TopicMetadata topic = topicsById.get(topicId);
            if (topic != null) {
                putTopic(change.apply(topic));
            }
        }

        MetadataImage build(long offset) {
            return new MetadataImage(clusterId, Map.copyOf(topicsByName), Map.copyOf(topicsById), Map.copyOf(brokers), nextProducerId,
                    Map.copyOf(brokerConfigs), Map.copyOf(features), acls == null ? previousAcls : Map.copyOf(acls), Map.copyOf(scramCredentials),
                    clientQuotas == null ? previousClientQuotas : Map.copyOf(clientQuotas), highestBrokerEpoch, offset);
        }
    }
}
