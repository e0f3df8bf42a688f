package io.runnel.metadata;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * Reads the metadata log written by Runnel before clusters, whose topics had a partition count and no
 * replicas: each such topic is read as the records a cluster of one writes, its partitions on the
 * node that owns the data directory, led by it at epoch 0. Keeps the partition counts it has seen, so
 * one instance reads one log, in order. Not thread-safe.
 */
final class LegacyRecords {

    private final int nodeId;
    private final Map<Uuid, Integer> partitionCounts = new HashMap<>();

    LegacyRecords(int nodeId) {
        this.nodeId = nodeId;
    }

    /** The records one frame of the log stands for: itself, or the upgrade of a legacy record. */
    List<MetadataRecord> read(byte[] frame) throws IOException {
        byte type = frame[0];
        if (type == MetadataRecordSerde.LEGACY_TOPIC_CREATED) {
            return topicCreated(new DataInputStream(new ByteArrayInputStream(frame, 1, frame.length - 1)));
        }
        if (type == MetadataRecordSerde.LEGACY_PARTITIONS_ADDED) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame, 1, frame.length - 1));
            Uuid topicId = MetadataRecordSerde.readUuid(in);
            return partitions(topicId, partitionCounts.getOrDefault(topicId, 0), in.readInt());
        }
        MetadataRecord record = MetadataRecordSerde.deserialize(frame);
        if (record instanceof MetadataRecord.TopicRecord topic) {
            partitionCounts.put(topic.topicId(), 0);
        } else if (record instanceof MetadataRecord.PartitionRecord partition) {
            partitionCounts.merge(partition.topicId(), partition.partitionId() + 1, Math::max);
        }
        return List.of(record);
    }

    private List<MetadataRecord> topicCreated(DataInputStream in) throws IOException {
        String name = in.readUTF();
        Uuid id = MetadataRecordSerde.readUuid(in);
        int partitionCount = in.readInt();
        Map<String, String> configs = MetadataRecordSerde.readConfigs(in);
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new MetadataRecord.TopicRecord(name, id));
        records.addAll(partitions(id, 0, partitionCount));
        if (!configs.isEmpty()) {
            records.add(new MetadataRecord.TopicConfigsChanged(id, configs));
        }
        return records;
    }

    private List<MetadataRecord> partitions(Uuid topicId, int from, int to) {
        List<MetadataRecord> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(new MetadataRecord.PartitionRecord(topicId, i, PartitionRegistration.initial(List.of(nodeId), nodeId)));
        }
        partitionCounts.put(topicId, Math.max(to, partitionCounts.getOrDefault(topicId, 0)));
        return records;
    }
}
