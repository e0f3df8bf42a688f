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
 * byte   type   (1 = TopicCreated, 2 = TopicRemoved, 3 = ProducerIdsAllocated)
 * TopicCreated:          UTF name, long idMsb, long idLsb, int partitions, int n, n x (UTF key, UTF value)
 * TopicRemoved:          long idMsb, long idLsb
 * ProducerIdsAllocated:  long nextProducerId
 * </pre>
 */
final class MetadataRecordSerde {

    private static final byte TOPIC_CREATED = 1;
    private static final byte TOPIC_REMOVED = 2;
    private static final byte PRODUCER_IDS_ALLOCATED = 3;

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
            } else {
                out.writeByte(PRODUCER_IDS_ALLOCATED);
                out.writeLong(((MetadataRecord.ProducerIdsAllocated) record).nextProducerId());
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
            default:
                throw new IOException("unknown metadata record type " + type);
        }
    }

    private static void writeTopic(DataOutputStream out, TopicMetadata topic) throws IOException {
        out.writeByte(TOPIC_CREATED);
        out.writeUTF(topic.name());
        writeUuid(out, topic.id());
        out.writeInt(topic.partitionCount());
        out.writeInt(topic.configs().size());
        for (Map.Entry<String, String> config : topic.configs().entrySet()) {
            out.writeUTF(config.getKey());
            out.writeUTF(config.getValue());
        }
    }

    private static TopicMetadata readTopic(DataInputStream in) throws IOException {
        String name = in.readUTF();
        Uuid id = readUuid(in);
        int partitions = in.readInt();
        int configCount = in.readInt();
        Map<String, String> configs = new HashMap<>();
        for (int i = 0; i < configCount; i++) {
            configs.put(in.readUTF(), in.readUTF());
        }
        return new TopicMetadata(name, id, partitions, configs);
    }

    private static void writeUuid(DataOutputStream out, Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static Uuid readUuid(DataInputStream in) throws IOException {
        return new Uuid(in.readLong(), in.readLong());
    }
}
