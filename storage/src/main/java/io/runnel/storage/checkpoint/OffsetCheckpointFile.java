package io.runnel.storage.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * A log-directory level checkpoint mapping partitions to offsets, used for
 * {@code recovery-point-offset-checkpoint}, {@code log-start-offset-checkpoint}, {@code replication-offset-checkpoint}
 * and {@code cleaner-offset-checkpoint}.
 * Entry lines are {@code <topic> <partition> <offset>} (topic names never contain spaces).
 * Not synchronized: the owning log manager serializes writes.
 */
public final class OffsetCheckpointFile {
    public static final String RECOVERY_POINT_FILE = "recovery-point-offset-checkpoint";
    public static final String LOG_START_OFFSET_FILE = "log-start-offset-checkpoint";
    /** Per partition, the high watermark (Kafka's file name). */
    public static final String HIGH_WATERMARK_FILE = "replication-offset-checkpoint";
    /** Per partition, the first offset the log cleaner has not cleaned yet (Kafka's file name). */
    public static final String CLEANER_OFFSET_FILE = "cleaner-offset-checkpoint";

    private final CheckpointFile<Map.Entry<TopicPartition, Long>> file;

    public OffsetCheckpointFile(Path path) {
        this.file = new CheckpointFile<>(path, new CheckpointFile.EntryFormat<>() {
            @Override
            public String toLine(Map.Entry<TopicPartition, Long> entry) {
                return entry.getKey().topic() + " " + entry.getKey().partition() + " " + entry.getValue();
            }

            @Override
            public Map.Entry<TopicPartition, Long> fromLine(String line) {
                String[] parts = line.split(" ");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("expected 3 fields: " + line);
                }
                return Map.entry(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
        });
    }

    public void write(Map<TopicPartition, Long> offsets) throws IOException {
        file.write(offsets.entrySet());
    }

    public Map<TopicPartition, Long> read() throws IOException {
        List<Map.Entry<TopicPartition, Long>> entries = file.read();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        entries.forEach(e -> offsets.put(e.getKey(), e.getValue()));
        return offsets;
    }
}
