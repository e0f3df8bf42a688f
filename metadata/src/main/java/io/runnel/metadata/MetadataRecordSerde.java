package io.runnel.metadata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The binary form of {@link MetadataRecord}s: one record in a local metadata log frame, a batch of them
 * in a quorum log entry or snapshot. Stateless.
 *
 * <pre>
 * record := byte type, then by type (configs := int n, n x (UTF key, UTF value); ints := int n (-1: null), n x int):
 *   2  RemoveTopicRecord              long idMsb, long idLsb
 *   3  ProducerIdsAllocated           long nextProducerId
 *   4  TopicConfigsChanged            long idMsb, long idLsb, configs
 *   5  BrokerConfigsChanged           UTF broker ("" for the cluster default), configs
 *   7  ClusterIdRecord                UTF clusterId
 *   8  FeatureLevelRecord             UTF name, short level
 *   9  RegisterBrokerRecord           int id, long epoch, uuid incarnation, uuid directory, int n, n x (UTF listener, UTF host, int port),
 *                                     bool hasRack, [UTF rack], bool fenced, bool inControlledShutdown
 *   10 BrokerRegistrationChangeRecord int id, long epoch, bool fenced, bool inControlledShutdown
 *   11 UnregisterBrokerRecord         int id, long epoch
 *   12 TopicRecord                    UTF name, uuid
 *   13 PartitionRecord                uuid, int partition, ints replicas, ints isr, ints elr, int leader, int leaderEpoch, int partitionEpoch
 *   14 PartitionChangeRecord          uuid, int partition, int leader (-2: unchanged), ints isr, ints elr, ints replicas
 *   16 PartitionRecord v1             as 13, then ints lastKnownElr, ints addingReplicas, ints removingReplicas
 *   17 PartitionChangeRecord v1       as 14, then ints lastKnownElr, ints addingReplicas, ints removingReplicas (null: unchanged)
 *   18 AccessControlEntryRecord       uuid, acl
 *   19 RemoveAccessControlEntryRecord uuid
 * acl := byte resourceType, UTF resourceName, byte patternType, UTF principal, UTF host, byte operation, byte permissionType
 *        (Kafka's codes: ResourceType, PatternType, AclOperation, AclPermissionType)
 *   20 UserScramCredentialRecord      UTF name, byte mechanism, bytes salt, bytes storedKey, bytes serverKey, int iterations
 *                                     (bytes := int n, n x byte)
 *   21 RemoveUserScramCredentialRecord UTF name, byte mechanism
 *   22 ClientQuotaRecord              int n, n x (UTF entityType, bool hasName, [UTF name]) (no name: the default entity),
 *                                     UTF key, double value, bool remove
 *   1, 6: the single-node records of Runnel before clusters, read by {@link LegacyRecords}
 *   (15 is taken: it marks a batch in the local metadata log's frames)
 * A partition record is written as 13 or 14 while its v1 fields are empty (or, in a change, unchanged), so a
 * log that never moved a partition or kept a last known leader reads on a Runnel that knows only those.
 * batch := int n, n x (int length, record)
 * </pre>
 */
public final class MetadataRecordSerde {

    static final byte LEGACY_TOPIC_CREATED = 1;
    static final byte LEGACY_PARTITIONS_ADDED = 6;
    private static final byte REMOVE_TOPIC = 2;
    private static final byte PRODUCER_IDS_ALLOCATED = 3;
    private static final byte TOPIC_CONFIGS_CHANGED = 4;
    private static final byte BROKER_CONFIGS_CHANGED = 5;
    private static final byte CLUSTER_ID = 7;
    private static final byte FEATURE_LEVEL = 8;
    private static final byte REGISTER_BROKER = 9;
    private static final byte BROKER_REGISTRATION_CHANGE = 10;
    private static final byte UNREGISTER_BROKER = 11;
    private static final byte TOPIC = 12;
    private static final byte PARTITION = 13;
    private static final byte PARTITION_CHANGE = 14;
    private static final byte PARTITION_V1 = 16;
    private static final byte PARTITION_CHANGE_V1 = 17;
    private static final byte ACCESS_CONTROL_ENTRY = 18;
    private static final byte REMOVE_ACCESS_CONTROL_ENTRY = 19;
    private static final byte USER_SCRAM_CREDENTIAL = 20;
    private static final byte REMOVE_USER_SCRAM_CREDENTIAL = 21;
    private static final byte CLIENT_QUOTA = 22;

    private MetadataRecordSerde() {
    }

    /** The bytes of a batch of records, as one quorum log entry or snapshot holds them. */
    public static byte[] serializeBatch(List<MetadataRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * records.size() + 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(records.size());
            for (MetadataRecord record : records) {
                byte[] one = serialize(record);
                out.writeInt(one.length);
                out.write(one);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The records of a batch written by {@link #serializeBatch}. */
    public static List<MetadataRecord> deserializeBatch(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int count = in.readInt();
        List<MetadataRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] one = new byte[in.readInt()];
            in.readFully(one);
            records.add(deserialize(one));
        }
        return records;
    }

    static byte[] serialize(MetadataRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** One record; legacy types are refused here (the local log upgrades them, see {@link LegacyRecords}). */
    static MetadataRecord deserialize(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        byte type = in.readByte();
        switch (type) {
            case REMOVE_TOPIC:
                return new MetadataRecord.RemoveTopicRecord(readUuid(in));
            case PRODUCER_IDS_ALLOCATED:
                return new MetadataRecord.ProducerIdsAllocated(in.readLong());
            case TOPIC_CONFIGS_CHANGED:
                return new MetadataRecord.TopicConfigsChanged(readUuid(in), readConfigs(in));
            case BROKER_CONFIGS_CHANGED:
                return new MetadataRecord.BrokerConfigsChanged(in.readUTF(), readConfigs(in));
            case CLUSTER_ID:
                return new MetadataRecord.ClusterIdRecord(in.readUTF());
            case FEATURE_LEVEL:
                return new MetadataRecord.FeatureLevelRecord(in.readUTF(), in.readShort());
            case REGISTER_BROKER:
                return new MetadataRecord.RegisterBrokerRecord(readBroker(in));
            case BROKER_REGISTRATION_CHANGE:
                return new MetadataRecord.BrokerRegistrationChangeRecord(in.readInt(), in.readLong(), in.readBoolean(), in.readBoolean());
            case UNREGISTER_BROKER:
                return new MetadataRecord.UnregisterBrokerRecord(in.readInt(), in.readLong());
            case TOPIC:
                return new MetadataRecord.TopicRecord(in.readUTF(), readUuid(in));
            case PARTITION:
            case PARTITION_V1:
                return readPartition(in, type == PARTITION_V1);
            case PARTITION_CHANGE:
            case PARTITION_CHANGE_V1:
                return readPartitionChange(in, type == PARTITION_CHANGE_V1);
            case ACCESS_CONTROL_ENTRY:
                return new MetadataRecord.AccessControlEntryRecord(readUuid(in), readAcl(in));
            case REMOVE_ACCESS_CONTROL_ENTRY:
                return new MetadataRecord.RemoveAccessControlEntryRecord(readUuid(in));
            case USER_SCRAM_CREDENTIAL:
                return new MetadataRecord.UserScramCredentialRecord(in.readUTF(), in.readByte(), readBytes(in), readBytes(in), readBytes(in),
                        in.readInt());
            case REMOVE_USER_SCRAM_CREDENTIAL:
                return new MetadataRecord.RemoveUserScramCredentialRecord(in.readUTF(), in.readByte());
            case CLIENT_QUOTA:
                return readClientQuota(in);
            default:
                throw new IOException("unknown metadata record type " + type);
        }
    }

    private static void write(DataOutputStream out, MetadataRecord record) throws IOException {
        if (record instanceof MetadataRecord.RemoveTopicRecord removed) {
            out.writeByte(REMOVE_TOPIC);
            writeUuid(out, removed.topicId());
        } else if (record instanceof MetadataRecord.ProducerIdsAllocated allocated) {
            out.writeByte(PRODUCER_IDS_ALLOCATED);
            out.writeLong(allocated.nextProducerId());
        } else if (record instanceof MetadataRecord.TopicConfigsChanged changed) {
            out.writeByte(TOPIC_CONFIGS_CHANGED);
            writeUuid(out, changed.topicId());
            writeConfigs(out, changed.configs());
        } else if (record instanceof MetadataRecord.BrokerConfigsChanged changed) {
            out.writeByte(BROKER_CONFIGS_CHANGED);
            out.writeUTF(changed.broker());
            writeConfigs(out, changed.configs());
        } else if (record instanceof MetadataRecord.ClusterIdRecord cluster) {
            out.writeByte(CLUSTER_ID);
            out.writeUTF(cluster.clusterId());
        } else if (record instanceof MetadataRecord.FeatureLevelRecord feature) {
            out.writeByte(FEATURE_LEVEL);
            out.writeUTF(feature.name());
            out.writeShort(feature.level());
        } else if (record instanceof MetadataRecord.AccessControlEntryRecord entry) {
            out.writeByte(ACCESS_CONTROL_ENTRY);
            writeUuid(out, entry.id());
            writeAcl(out, entry.acl());
        } else if (record instanceof MetadataRecord.RemoveAccessControlEntryRecord removed) {
            out.writeByte(REMOVE_ACCESS_CONTROL_ENTRY);
            writeUuid(out, removed.id());
        } else {
            writeMembershipOrPartition(out, record);
        }
    }

    private static void writeMembershipOrPartition(DataOutputStream out, MetadataRecord record) throws IOException {
        if (record instanceof MetadataRecord.RegisterBrokerRecord registered) {
            out.writeByte(REGISTER_BROKER);
            writeBroker(out, registered.registration());
        } else if (record instanceof MetadataRecord.BrokerRegistrationChangeRecord change) {
            out.writeByte(BROKER_REGISTRATION_CHANGE);
            out.writeInt(change.brokerId());
            out.writeLong(change.brokerEpoch());
            out.writeBoolean(change.fenced());
            out.writeBoolean(change.inControlledShutdown());
        } else if (record instanceof MetadataRecord.UnregisterBrokerRecord unregistered) {
            out.writeByte(UNREGISTER_BROKER);
            out.writeInt(unregistered.brokerId());
            out.writeLong(unregistered.brokerEpoch());
        } else if (record instanceof MetadataRecord.TopicRecord topic) {
            out.writeByte(TOPIC);
            out.writeUTF(topic.name());
            writeUuid(out, topic.topicId());
        } else if (record instanceof MetadataRecord.PartitionRecord partition) {
            writePartition(out, partition);
        } else if (record instanceof MetadataRecord.PartitionChangeRecord change) {
            writePartitionChange(out, change);
        } else {
            writeScramCredential(out, record);
        }
    }

    private static void writePartition(DataOutputStream out, MetadataRecord.PartitionRecord partition) throws IOException {
        PartitionRegistration registration = partition.partition();
        boolean v1 = !registration.lastKnownElr().isEmpty() || registration.isReassigning();
        out.writeByte(v1 ? PARTITION_V1 : PARTITION);
        writeUuid(out, partition.topicId());
        out.writeInt(partition.partitionId());
        writeInts(out, registration.replicas());
        writeInts(out, registration.isr());
        writeInts(out, registration.elr());
        out.writeInt(registration.leader());
        out.writeInt(registration.leaderEpoch());
        out.writeInt(registration.partitionEpoch());
        if (v1) {
            writeInts(out, registration.lastKnownElr());
            writeInts(out, registration.addingReplicas());
            writeInts(out, registration.removingReplicas());
        }
    }

    private static MetadataRecord.PartitionRecord readPartition(DataInputStream in, boolean v1) throws IOException {
        Uuid topicId = readUuid(in);
        int partitionId = in.readInt();
        List<Integer> replicas = readInts(in);
        List<Integer> isr = readInts(in);
        List<Integer> elr = readInts(in);
        int leader = in.readInt();
        int leaderEpoch = in.readInt();
        int partitionEpoch = in.readInt();
        List<Integer> none = List.of();
        return new MetadataRecord.PartitionRecord(topicId, partitionId, new PartitionRegistration(replicas, isr, elr, leader, leaderEpoch,
                partitionEpoch, v1 ? readInts(in) : none, v1 ? readInts(in) : none, v1 ? readInts(in) : none));
    }

    private static void writePartitionChange(DataOutputStream out, MetadataRecord.PartitionChangeRecord change) throws IOException {
        boolean v1 = change.lastKnownElr() != null || change.addingReplicas() != null || change.removingReplicas() != null;
        out.writeByte(v1 ? PARTITION_CHANGE_V1 : PARTITION_CHANGE);
        writeUuid(out, change.topicId());
        out.writeInt(change.partitionId());
        out.writeInt(change.leader());
        writeInts(out, change.isr());
        writeInts(out, change.elr());
        writeInts(out, change.replicas());
        if (v1) {
            writeInts(out, change.lastKnownElr());
            writeInts(out, change.addingReplicas());
            writeInts(out, change.removingReplicas());
        }
    }

    private static MetadataRecord.PartitionChangeRecord readPartitionChange(DataInputStream in, boolean v1) throws IOException {
        Uuid topicId = readUuid(in);
        int partitionId = in.readInt();
        int leader = in.readInt();
        List<Integer> isr = readInts(in);
        List<Integer> elr = readInts(in);
        List<Integer> replicas = readInts(in);
        return new MetadataRecord.PartitionChangeRecord(topicId, partitionId, leader, isr, elr, replicas,
                v1 ? readInts(in) : null, v1 ? readInts(in) : null, v1 ? readInts(in) : null);
    }

    private static void writeBroker(DataOutputStream out, BrokerRegistration broker) throws IOException {
        out.writeInt(broker.id());
        out.writeLong(broker.epoch());
        writeUuid(out, broker.incarnationId());
        writeUuid(out, broker.directoryId());
        writeEndpoints(out, broker.endpoints());
        writeNullable(out, broker.rack());
        out.writeBoolean(broker.fenced());
        out.writeBoolean(broker.inControlledShutdown());
    }

    private static BrokerRegistration readBroker(DataInputStream in) throws IOException {
        int id = in.readInt();
        long epoch = in.readLong();
        Uuid incarnation = readUuid(in);
        Uuid directory = readUuid(in);
        List<BrokerEndpoint> endpoints = readEndpoints(in);
        String rack = readNullable(in);
        return new BrokerRegistration(id, epoch, incarnation, directory, endpoints, rack, in.readBoolean(), in.readBoolean());
    }

    /** A broker's endpoints: int n, n x (UTF listener, UTF host, int port). */
    public static void writeEndpoints(DataOutputStream out, List<BrokerEndpoint> endpoints) throws IOException {
        out.writeInt(endpoints.size());
        for (BrokerEndpoint endpoint : endpoints) {
            out.writeUTF(endpoint.listener());
            out.writeUTF(endpoint.host());
            out.writeInt(endpoint.port());
        }
    }

    /** The endpoints {@link #writeEndpoints} wrote. */
    public static List<BrokerEndpoint> readEndpoints(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<BrokerEndpoint> endpoints = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            endpoints.add(new BrokerEndpoint(in.readUTF(), in.readUTF(), in.readInt()));
        }
        return endpoints;
    }

    /** A string that may be null: bool present, then UTF. */
    public static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    /** The string {@link #writeNullable} wrote, or null. */
    public static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** A list of ints that may be null: int n (-1 for null), n x int. */
    public static void writeInts(DataOutputStream out, List<Integer> values) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.size());
        for (int value : values) {
            out.writeInt(value);
        }
    }

    /** The list {@link #writeInts} wrote, or null. */
    public static List<Integer> readInts(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            return null;
        }
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.readInt());
        }
        return values;
    }

    public static void writeConfigs(DataOutputStream out, Map<String, String> configs) throws IOException {
        out.writeInt(configs.size());
        for (Map.Entry<String, String> config : configs.entrySet()) {
            out.writeUTF(config.getKey());
            out.writeUTF(config.getValue());
        }
    }

    public static Map<String, String> readConfigs(DataInputStream in) throws IOException {
        int configCount = in.readInt();
        Map<String, String> configs = new HashMap<>();
        for (int i = 0; i < configCount; i++) {
            configs.put(in.readUTF(), in.readUTF());
        }
        return configs;
    }

    /** An ACL, by Kafka's codes for its enums. */
    public static void writeAcl(DataOutputStream out, AclBinding acl) throws IOException {
        out.writeByte(acl.pattern().resourceType().code());
        out.writeUTF(acl.pattern().name());
        out.writeByte(acl.pattern().patternType().code());
        out.writeUTF(acl.entry().principal());
        out.writeUTF(acl.entry().host());
        out.writeByte(acl.entry().operation().code());
        out.writeByte(acl.entry().permissionType().code());
    }

    /** The ACL {@link #writeAcl} wrote. */
    public static AclBinding readAcl(DataInputStream in) throws IOException {
        ResourcePattern pattern = new ResourcePattern(ResourceType.fromCode(in.readByte()), in.readUTF(), PatternType.fromCode(in.readByte()));
        return new AclBinding(pattern, new AccessControlEntry(in.readUTF(), in.readUTF(), AclOperation.fromCode(in.readByte()),
                AclPermissionType.fromCode(in.readByte())));
    }

    private static void writeScramCredential(DataOutputStream out, MetadataRecord record) throws IOException {
        if (record instanceof MetadataRecord.ClientQuotaRecord quota) {
            writeClientQuota(out, quota);
        } else if (record instanceof MetadataRecord.UserScramCredentialRecord credential) {
            out.writeByte(USER_SCRAM_CREDENTIAL);
            out.writeUTF(credential.name());
            out.writeByte(credential.mechanism());
            writeBytes(out, credential.salt());
            writeBytes(out, credential.storedKey());
            writeBytes(out, credential.serverKey());
            out.writeInt(credential.iterations());
        } else {
            MetadataRecord.RemoveUserScramCredentialRecord removed = (MetadataRecord.RemoveUserScramCredentialRecord) record;
            out.writeByte(REMOVE_USER_SCRAM_CREDENTIAL);
            out.writeUTF(removed.name());
            out.writeByte(removed.mechanism());
        }
    }

    private static void writeClientQuota(DataOutputStream out, MetadataRecord.ClientQuotaRecord quota) throws IOException {
        out.writeByte(CLIENT_QUOTA);
        Map<String, String> entries = quota.entity().entries();
        out.writeInt(entries.size());
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeBoolean(entry.getValue() != null);
            if (entry.getValue() != null) {
                out.writeUTF(entry.getValue());
            }
        }
        out.writeUTF(quota.key());
        out.writeDouble(quota.value());
        out.writeBoolean(quota.remove());
    }

    private static MetadataRecord.ClientQuotaRecord readClientQuota(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String type = in.readUTF();
            entries.put(type, in.readBoolean() ? in.readUTF() : null);
        }
        return new MetadataRecord.ClientQuotaRecord(new ClientQuotaEntity(entries), in.readUTF(), in.readDouble(), in.readBoolean());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    public static void writeUuid(DataOutputStream out, Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    public static Uuid readUuid(DataInputStream in) throws IOException {
        return new Uuid(in.readLong(), in.readLong());
    }
}
