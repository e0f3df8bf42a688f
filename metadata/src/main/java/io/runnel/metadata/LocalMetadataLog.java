package io.runnel.metadata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log of a single node: an append-only file of framed entries, fsynced on every append
 * so an entry is durable before its change is visible. A torn or corrupt tail (a crash mid-append) is
 * cut off on open; everything before it is kept. Each entry is a batch of records, applied whole or
 * not at all; entries written before clusters hold one record each. Not thread-safe: owned by the
 * node's {@link LocalQuorum}.
 *
 * <pre>
 * frame := int32 length | int32 crc32c(payload) | payload (length bytes)
 * payload := byte 15, batch (see MetadataRecordSerde) | one record (before clusters)
 * </pre>
 */
public final class LocalMetadataLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalMetadataLog.class);
    private static final int FRAME_HEADER = 8;
    private static final int MAX_ENTRY = 16 << 20;

    private static final byte BATCH = 15;

    private final FileChannel channel;
    private final List<MetadataRecord> recovered;
    private final long recoveredEntries;
    private boolean broken;

    private LocalMetadataLog(FileChannel channel, List<MetadataRecord> recovered, long recoveredEntries) {
        this.channel = channel;
        this.recovered = recovered;
        this.recoveredEntries = recoveredEntries;
    }

    /**
     * Opens (creating if needed) the log in {@code dir} and reads back every intact record; records
     * written before clusters place their partitions on {@code nodeId}.
     */
    public static LocalMetadataLog open(Path dir, int nodeId) throws IOException {
        Path file = dir.resolve("metadata.log");
        boolean created = !Files.exists(file);
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) {
            // The new file's directory entry must be durable too, or a crash could lose the whole log.
            fsyncDirectory(dir);
            fsyncDirectory(dir.getParent());
        }
        List<MetadataRecord> records = new ArrayList<>();
        long[] entries = new long[1];
        long validEnd = readAll(channel, new LegacyRecords(nodeId), records, entries);
        if (validEnd < channel.size()) {
            log.warn("Metadata log {} had a torn tail: kept {} bytes of {}", dir, validEnd, channel.size());
            channel.truncate(validEnd);
            channel.force(true);
        }
        channel.position(validEnd);
        return new LocalMetadataLog(channel, records, entries[0]);
    }

    /** The records read back when the log was opened, in order. */
    public List<MetadataRecord> recoveredRecords() {
        return List.copyOf(recovered);
    }

    /** How many entries were read back when the log was opened: the offset of the last one. */
    public long recoveredEntries() {
        return recoveredEntries;
    }

    /**
     * Appends records as one entry and returns once it is on disk. If the write fails part-way (a full
     * disk), the file is cut back to where it was, so no torn frame stays in front of later entries.
     *
     * @throws IOException if the records could not be written; then none of them is in the log
     */
    public void append(List<MetadataRecord> records) throws IOException {
        if (broken) {
            throw new IOException("the metadata log could not be repaired after a failed write; restart to recover it");
        }
        long end = channel.position();
        try {
            byte[] batch = MetadataRecordSerde.serializeBatch(records);
            byte[] payload = new byte[batch.length + 1];
            payload[0] = BATCH;
            System.arraycopy(batch, 0, payload, 1, batch.length);
            if (payload.length > MAX_ENTRY) {
                // a longer frame would read back as a torn tail and cut off every entry after it
                throw new IOException("metadata entry of " + payload.length + " bytes exceeds " + MAX_ENTRY);
            }
            ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER + payload.length);
            frame.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(end);
                channel.position(end);
            } catch (IOException repair) {
                // A torn frame stays: refuse every later write, whose records would sit behind it and
                // be cut off on the next open. The open after a restart drops the torn frame.
                broken = true;
                e.addSuppressed(repair);
            }
            throw e;
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static long readAll(FileChannel channel, LegacyRecords reader, List<MetadataRecord> into, long[] entries) throws IOException {
        long position = 0;
        ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER);
        while (true) {
            header.clear();
            if (channel.read(header, position) < FRAME_HEADER) {
                return position;
            }
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length <= 0 || length > MAX_ENTRY) {
                return position;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            if (channel.read(payload, position + FRAME_HEADER) < length || crc(payload.array()) != crc) {
                return position;
            }
            byte[] bytes = payload.array();
            if (bytes[0] == BATCH) {
                into.addAll(MetadataRecordSerde.deserializeBatch(java.util.Arrays.copyOfRange(bytes, 1, bytes.length)));
            } else {
                into.addAll(reader.read(bytes));
            }
            entries[0]++;
            position += FRAME_HEADER + length;
        }
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }
}
