package io.runnel.metadata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * The binary form of a {@link MetadataRecord} inside a metadata log frame. Stateless.
 *
 * <pre>
 * byte   type   (1 = TopicCreated, 2 = TopicRemoved, 3 = ProducerIdsAllocated, 4 = TopicConfigsChanged,
 *               5 = BrokerConfigsChanged, 6 = PartitionsAdded)
 * TopicCreated:          UTF name, long idMsb, long idLsb, int partitions, configs
 * TopicRemoved:          long idMsb, long idLsb
 * ProducerIdsAllocated:  long nextProducerId
 * TopicConfigsChanged:   long idMsb, long idLsb, configs
 * BrokerConfigsChanged:  UTF broker ("" for the cluster default), configs
 * PartitionsAdded:       long idMsb, long idLsb, int partitions
 * configs:               int n, n x (UTF key, UTF value)
 * </pre>
 */
final class MetadataRecordSerde {

    private static final byte TOPIC_CREATED = 1;
    private static final byte TOPIC_REMOVED = 2;
    private static final byte PRODUCER_IDS_ALLOCATED = 3;
    private static final byte TOPIC_CONFIGS_CHANGED = 4;
    private static final byte BROKER_CONFIGS_CHANGED = 5;
    private static final byte PARTITIONS_ADDED = 6;

    private MetadataRecordSerde() {
    }

    static byte[] serialize(MetadataRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (record instanceof MetadataRecord.TopicCreated created) {
                writeTopic(out, created.topic());
            } else if (record instanceof MetadataRecord.TopicRemoved removed) {
                out.writeByte(TOPIC_REMOVED);
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
            } else {
                MetadataRecord.PartitionsAdded added = (MetadataRecord.PartitionsAdded) record;
                out.writeByte(PARTITIONS_ADDED);
                writeUuid(out, added.topicId());
                out.writeInt(added.partitionCount());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static MetadataRecord deserialize(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        byte type = in.readByte();
        switch (type) {
            case TOPIC_CREATED:
                return new MetadataRecord.TopicCreated(readTopic(in));
            case TOPIC_REMOVED:
                return new MetadataRecord.TopicRemoved(readUuid(in));
            case PRODUCER_IDS_ALLOCATED:
                return new MetadataRecord.ProducerIdsAllocated(in.readLong());
            case TOPIC_CONFIGS_CHANGED:
                return new MetadataRecord.TopicConfigsChanged(readUuid(in), readConfigs(in));
            case BROKER_CONFIGS_CHANGED:
                return new MetadataRecord.BrokerConfigsChanged(in.readUTF(), readConfigs(in));
            case PARTITIONS_ADDED:
                return new MetadataRecord.PartitionsAdded(readUuid(in), in.readInt());
            default:
                throw new IOException("unknown metadata record type " + type);
        }
    }

    private static void writeTopic(DataOutputStream out, TopicMetadata topic) throws IOException {
        out.writeByte(TOPIC_CREATED);
        out.writeUTF(topic.name());
        writeUuid(out, topic.id());
        out.writeInt(topic.partitionCount());
        writeConfigs(out, topic.configs());
    }

    private static void writeConfigs(DataOutputStream out, Map<String, String> configs) throws IOException {
        out.writeInt(configs.size());
        for (Map.Entry<String, String> config : configs.entrySet()) {
            out.writeUTF(config.getKey());
            out.writeUTF(config.getValue());
        }
    }

    private static Map<String, String> readConfigs(DataInputStream in) throws IOException {
        int configCount = in.readInt();
        Map<String, String> configs = new HashMap<>();
        for (int i = 0; i < configCount; i++) {
            configs.put(in.readUTF(), in.readUTF());
        }
        return configs;
    }

    private static TopicMetadata readTopic(DataInputStream in) throws IOException {
        String name = in.readUTF();
        Uuid id = readUuid(in);
        int partitions = in.readInt();
        return new TopicMetadata(name, id, partitions, readConfigs(in));
    }

    private static void writeUuid(DataOutputStream out, Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static Uuid readUuid(DataInputStream in) throws IOException {
        return new Uuid(in.readLong(), in.readLong());
    }
}
