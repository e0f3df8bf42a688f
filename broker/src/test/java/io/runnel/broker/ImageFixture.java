package io.runnel.broker;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.PartitionRegistration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * Metadata images for unit tests, built from the records a controller would write: brokers on a
 * {@code PLAINTEXT} listener, topics with the partitions given, and changes to them. Not thread-safe.
 */
public final class ImageFixture {

    /** The listener every broker of the fixture has. */
    public static final String LISTENER = "PLAINTEXT";

    private final Map<String, Uuid> topicIds = new HashMap<>();
    private MetadataImage image = MetadataImage.EMPTY;

    /** Registers unfenced brokers with these ids. */
    public ImageFixture brokers(int... ids) {
        List<MetadataRecord> records = new ArrayList<>();
        for (int id : ids) {
            records.add(new MetadataRecord.RegisterBrokerRecord(new BrokerRegistration(id, id, Uuid.randomUuid(), Uuid.randomUuid(),
                    List.of(new BrokerEndpoint(LISTENER, "localhost", 9090 + id)), null, false, false)));
        }
        return apply(records);
    }

    /** Fences a registered broker. */
    public ImageFixture fence(int id) {
        return apply(List.of(new MetadataRecord.BrokerRegistrationChangeRecord(id, image.broker(id).orElseThrow().epoch(), true, false)));
    }

    /** Creates a topic with these partitions, by index. */
    public ImageFixture topic(String name, PartitionRegistration... partitions) {
        Uuid id = Uuid.randomUuid();
        topicIds.put(name, id);
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new MetadataRecord.TopicRecord(name, id));
        for (int i = 0; i < partitions.length; i++) {
            records.add(new MetadataRecord.PartitionRecord(id, i, partitions[i]));
        }
        return apply(records);
    }

    /** Sets a topic config override. */
    public ImageFixture topicConfig(String topic, String key, String value) {
        return apply(List.of(new MetadataRecord.TopicConfigsChanged(topicIds.get(topic), Map.of(key, value))));
    }

    /** Changes a partition's ISR, and its leader unless {@code leader} is {@link MetadataRecord.PartitionChangeRecord#NO_LEADER_CHANGE}. */
    public ImageFixture change(String topic, int partition, int leader, List<Integer> isr) {
        return apply(List.of(new MetadataRecord.PartitionChangeRecord(topicIds.get(topic), partition, leader, isr, null, null)));
    }

    /** The image so far. */
    public MetadataImage image() {
        return image;
    }

    /** A partition on {@code replicas}, all in sync, led by the first at leader epoch {@code leaderEpoch}. */
    public static PartitionRegistration partition(int leaderEpoch, Integer... replicas) {
        return new PartitionRegistration(List.of(replicas), List.of(replicas), List.of(), replicas[0], leaderEpoch, leaderEpoch);
    }

    private ImageFixture apply(List<MetadataRecord> records) {
        image = image.apply(records, image.offset() + 1);
        return this;
    }
}
