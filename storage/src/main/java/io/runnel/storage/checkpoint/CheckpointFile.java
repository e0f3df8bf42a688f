package io.runnel.storage.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A Kafka-style text checkpoint file holding a list of entries:
 * <pre>
 *   0                 &lt;- format version
 *   3                 &lt;- entry count
 *   entry line 1      &lt;- one line per entry, encoded by {@link EntryFormat}
 *   entry line 2
 *   entry line 3
 * </pre>
 * Writes are atomic (see {@link AtomicFileWriter}). A missing file reads as empty; a malformed
 * file raises {@link CorruptCheckpointException}. Not synchronized: the owner serializes writes.
 *
 * @param <T> entry type
 */
public final class CheckpointFile<T> {
    private static final int VERSION = 0;

    private final Path file;
    private final EntryFormat<T> format;

    public CheckpointFile(Path file, EntryFormat<T> format) {
        this.file = file;
        this.format = format;
    }

    /** Encodes one entry to one line (without line break) and back. */
    public interface EntryFormat<T> {
        String toLine(T entry);

        /** Parses a line; throws any RuntimeException on malformed input. */
        T fromLine(String line);
    }

    public Path path() {
        return file;
    }

    public void write(Collection<T> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (T entry : entries) {
            text.append(format.toLine(entry)).append('\n');
        }
        AtomicFileWriter.write(file, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    public List<T> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new CorruptCheckpointException(file, "missing header or unsupported version");
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() < 2 + count) {
                throw new CorruptCheckpointException(file, "expected " + count + " entries");
            }
            List<T> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                entries.add(format.fromLine(lines.get(2 + i).trim()));
            }
            return entries;
        } catch (CorruptCheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptCheckpointException(file, e.toString());
        }
    }
}
