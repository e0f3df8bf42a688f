package io.runnel.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMetadataLogTest {

    private static final int NODE = 7;

    @TempDir
    Path dir;

    @Test
    void shouldReadSingleNodeLogAsTopicsOnThisNode() throws IOException {
        Uuid orders = Uuid.randomUuid();
        Uuid events = Uuid.randomUuid();
        writeFrames(legacyTopicCreated("orders", orders, 2, Map.of("retention.ms", "100")), legacyTopicCreated("events", events, 1, Map.of()),
                legacyPartitionsAdded(orders, 4));

        MetadataImage image = recover();

        TopicMetadata topic = image.topic("orders").orElseThrow();
        assertThat(topic.id()).isEqualTo(orders);
        assertThat(topic.configs()).containsExactly(Map.entry("retention.ms", "100"));
        assertThat(topic.partitions()).hasSize(4).allSatisfy(partition -> {
            assertThat(partition.replicas()).containsExactly(NODE);
            assertThat(partition.isr()).containsExactly(NODE);
            assertThat(partition.leader()).isEqualTo(NODE);
        });
        assertThat(image.topic(events).orElseThrow().partitionCount()).isEqualTo(1);
    }

    @Test
    void shouldReadNewEntriesAppendedAfterSingleNodeOnes() throws IOException {
        Uuid orders = Uuid.randomUuid();
        writeFrames(legacyTopicCreated("orders", orders, 1, Map.of()));
        try (LocalMetadataLog log = LocalMetadataLog.open(dir, NODE)) {
            log.append(List.of(new MetadataRecord.PartitionRecord(orders, 1, PartitionRegistration.initial(List.of(NODE, 8), NODE)),
                    new MetadataRecord.ClusterIdRecord("cluster-1")));
        }

        MetadataImage image = recover();

        assertThat(image.clusterId()).isEqualTo("cluster-1");
        assertThat(image.topic(orders).orElseThrow().partitions()).extracting(PartitionRegistration::replicas)
                .containsExactly(List.of(NODE), List.of(NODE, 8));
        assertThat(image.offset()).isEqualTo(2);
    }

    @Test
    void shouldCutOffTornTail() throws IOException {
        Uuid orders = Uuid.randomUuid();
        byte[] torn = frame(legacyPartitionsAdded(orders, 5));
        long intact = writeTopicThen(orders, java.util.Arrays.copyOf(torn, torn.length - 3));

        try (LocalMetadataLog log = LocalMetadataLog.open(dir, NODE)) {
            assertThat(Files.size(logFile())).isEqualTo(intact);
            assertThat(log.recoveredEntries()).isEqualTo(1);
            log.append(List.of(new MetadataRecord.ProducerIdsAllocated(50)));
        }
        MetadataImage image = recover();

        assertThat(image.topic(orders).orElseThrow().partitionCount()).isEqualTo(2);
        assertThat(image.nextProducerId()).isEqualTo(50);
    }

    @Test
    void shouldCutOffFrameWithBadChecksum() throws IOException {
        Uuid orders = Uuid.randomUuid();
        byte[] corrupt = frame(legacyPartitionsAdded(orders, 5));
        corrupt[corrupt.length - 1] ^= 1;
        long intact = writeTopicThen(orders, corrupt);

        assertThat(recover().topic(orders).orElseThrow().partitionCount()).isEqualTo(2);
        assertThat(Files.size(logFile())).isEqualTo(intact);
    }

    private MetadataImage recover() throws IOException {
        try (LocalMetadataLog log = LocalMetadataLog.open(dir, NODE)) {
            return MetadataImage.EMPTY.apply(log.recoveredRecords(), log.recoveredEntries());
        }
    }

    /** Writes topic "orders" with 2 partitions, then {@code tail}; returns the size of the intact part. */
    private long writeTopicThen(Uuid orders, byte[] tail) throws IOException {
        writeFrames(legacyTopicCreated("orders", orders, 2, Map.of()));
        long intact = Files.size(logFile());
        Files.write(logFile(), tail, StandardOpenOption.APPEND);
        return intact;
    }

    private Path logFile() {
        return dir.resolve("metadata.log");
    }

    private void writeFrames(byte[]... payloads) throws IOException {
        for (byte[] payload : payloads) {
            Files.write(logFile(), frame(payload), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** {@code int length, int crc32c(payload), payload}. */
    private static byte[] frame(byte[] payload) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return bytes(out -> {
            out.writeInt(payload.length);
            out.writeInt((int) crc.getValue());
            out.write(payload);
        });
    }

    /** {@code byte 1, UTF name, long msb, long lsb, int partitions, int n configs, (UTF, UTF)*}. */
    private static byte[] legacyTopicCreated(String name, Uuid id, int partitions, Map<String, String> configs) throws IOException {
        return bytes(out -> {
            out.writeByte(1);
            out.writeUTF(name);
            out.writeLong(id.getMostSignificantBits());
            out.writeLong(id.getLeastSignificantBits());
            out.writeInt(partitions);
            out.writeInt(configs.size());
            for (Map.Entry<String, String> config : configs.entrySet()) {
                out.writeUTF(config.getKey());
                out.writeUTF(config.getValue());
            }
        });
    }

    /** {@code byte 6, long msb, long lsb, int partitions} (the new partition count). */
    private static byte[] legacyPartitionsAdded(Uuid id, int partitions) throws IOException {
        return bytes(out -> {
            out.writeByte(6);
            out.writeLong(id.getMostSignificantBits());
            out.writeLong(id.getLeastSignificantBits());
            out.writeInt(partitions);
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        }
        return bytes.toByteArray();
    }
}
