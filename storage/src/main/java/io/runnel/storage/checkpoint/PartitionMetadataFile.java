package io.runnel.storage.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.Uuid;

/**
 * The {@code partition.metadata} file of a partition directory, binding it to a topic id:
 * <pre>
 *   version: 0
 *   topic_id: &lt;base64 Uuid&gt;
 * </pre>
 * Written atomically. Not synchronized: written once when the log is created or first opened.
 */
public final class PartitionMetadataFile {
    public static final String FILE_NAME = "partition.metadata";
    private static final String VERSION_PREFIX = "version: ";
    private static final String TOPIC_ID_PREFIX = "topic_id: ";

    private final Path file;

    public PartitionMetadataFile(Path partitionDir) {
        this.file = partitionDir.resolve(FILE_NAME);
    }

    public void write(Uuid topicId) throws IOException {
        String text = VERSION_PREFIX + "0\n" + TOPIC_ID_PREFIX + topicId + "\n";
        AtomicFileWriter.write(file, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The stored topic id, or empty if the file does not exist. */
    public Optional<Uuid> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.size() < 2 || !lines.get(0).trim().equals(VERSION_PREFIX + "0")
                || !lines.get(1).startsWith(TOPIC_ID_PREFIX)) {
            throw new CorruptCheckpointException(file, "unexpected content");
        }
        try {
            return Optional.of(Uuid.fromString(lines.get(1).substring(TOPIC_ID_PREFIX.length()).trim()));
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException(file, e.getMessage());
        }
    }
}
