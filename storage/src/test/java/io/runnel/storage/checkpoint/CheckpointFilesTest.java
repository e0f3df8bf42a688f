package io.runnel.storage.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
    @TempDir
    Path dir;

    @Test
    void shouldRoundTripOffsetCheckpoint() throws Exception {
        OffsetCheckpointFile file = new OffsetCheckpointFile(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT_FILE));
        Map<TopicPartition, Long> offsets = Map.of(new TopicPartition("a", 0), 12L, new TopicPartition("b.c-d", 7), 0L);

        file.write(offsets);

        assertThat(file.read()).isEqualTo(offsets);
        assertThat(Files.readAllLines(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT_FILE))).startsWith("0", "2");
        assertThat(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT_FILE + ".tmp")).doesNotExist();
    }

    @Test
    void shouldReadMissingCheckpointAsEmpty() throws Exception {
        assertThat(new OffsetCheckpointFile(dir.resolve("nothing")).read()).isEmpty();
    }

    @Test
    void shouldRejectMalformedCheckpoint() throws Exception {
        Path path = dir.resolve("broken");
        Files.writeString(path, "0\n2\ntopic 0 5\n");

        assertThatThrownBy(() -> new OffsetCheckpointFile(path).read()).isInstanceOf(CorruptCheckpointException.class);
    }

    @Test
    void shouldRoundTripPartitionMetadata() throws Exception {
        PartitionMetadataFile file = new PartitionMetadataFile(dir);
        Uuid id = Uuid.randomUuid();

        file.write(id);

        assertThat(file.read()).contains(id);
        assertThat(Files.readString(dir.resolve(PartitionMetadataFile.FILE_NAME))).isEqualTo("version: 0\ntopic_id: " + id + "\n");
    }
}
