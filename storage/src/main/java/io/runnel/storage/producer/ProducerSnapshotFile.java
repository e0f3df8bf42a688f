package io.runnel.storage.producer;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

import io.runnel.storage.checkpoint.AtomicFileWriter;
import io.runnel.storage.checkpoint.CorruptCheckpointException;

/**
 * Runnel's binary producer-state snapshot, file {@code <20-digit offset>.snapshot}: the state of
 * every producer after all batches below {@code offset}. Big-endian layout, version 1:
 * <pre>
 *   +-------------+-------------+-------------+
 *   | version i16 | crc32c i32  | count i32   |   header; the CRC covers every byte after it
 *   +-------------+-------------+-------------+
 *   count x producer:
 *   +-----------------+-----------+---------------------+------------------------+-------------------+----------------+
 *   | producerId i64  | epoch i16 | coordinatorEpoch i32| currentTxnFirstOffset  | lastTimestamp i64 | batchCount i8  |
 *   |                 |           |                     | i64 (-1: none open)    |                   |                |
 *   +-----------------+-----------+---------------------+------------------------+-------------------+----------------+
 *     batchCount x batch (oldest first):
 *     +-------------+------------+-----------------+----------------+---------------+
 *     | firstSeq i32| lastSeq i32| firstOffset i64 | lastOffset i64 | timestamp i64 |
 *     +-------------+------------+-----------------+----------------+---------------+
 * </pre>
 * Version 0, written before transactions, has only producerId, epoch and batchCount per producer; it
 * is still read (no transaction open, coordinator epoch -1, last timestamp from the newest batch).
 * The last timestamp is stored since version 1 because a marker that bumps the epoch empties the
 * batches a producer would otherwise be dated by. Stateless; any thread may call it.
 */
public final class ProducerSnapshotFile {
    public static final String SUFFIX = ".snapshot";
    private static final short VERSION_0 = 0;
    private static final short VERSION = 1;
    private static final int HEADER_SIZE = 2 + 4 + 4;
    private static final int CRC_COVERED_FROM = 6;
    private static final int PRODUCER_SIZE = 8 + 2 + 4 + 8 + 8 + 1;
    private static final int BATCH_SIZE = 4 + 4 + 8 + 8 + 8;

    private ProducerSnapshotFile() {
    }

    public static Path path(Path dir, long offset) {
        return dir.resolve(String.format("%020d", offset) + SUFFIX);
    }

    /** The offset in a snapshot file name, or -1 if the name is not one. */
    public static long offsetOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static void write(Path file, Collection<ProducerEntry> producers) throws IOException {
        int size = HEADER_SIZE;
        for (ProducerEntry producer : producers) {
            size += PRODUCER_SIZE + producer.batches().size() * BATCH_SIZE;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.position(HEADER_SIZE);
        for (ProducerEntry producer : producers) {
            List<BatchMetadata> batches = producer.batches();
            buffer.putLong(producer.producerId()).putShort(producer.epoch()).putInt(producer.coordinatorEpoch())
                    .putLong(producer.currentTxnFirstOffset()).putLong(producer.lastTimestamp()).put((byte) batches.size());
            for (BatchMetadata batch : batches) {
                buffer.putInt(batch.firstSeq()).putInt(batch.lastSeq()).putLong(batch.firstOffset())
                        .putLong(batch.lastOffset()).putLong(batch.timestamp());
            }
        }
        buffer.flip();
        buffer.putShort(0, VERSION).putInt(CRC_COVERED_FROM, producers.size());
        buffer.putInt(2, crc(buffer));
        AtomicFileWriter.write(file, buffer);
    }

    public static List<ProducerEntry> read(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
        if (buffer.limit() < HEADER_SIZE) {
            throw new CorruptCheckpointException(file, "shorter than its header");
        }
        try {
            short version = buffer.getShort(0);
            if (version != VERSION && version != VERSION_0) {
                throw new CorruptCheckpointException(file, "unsupported version " + version);
            }
            if (buffer.getInt(2) != crc(buffer)) {
                throw new CorruptCheckpointException(file, "CRC mismatch");
            }
            int count = buffer.getInt(CRC_COVERED_FROM);
            buffer.position(HEADER_SIZE);
            List<ProducerEntry> producers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ProducerEntry producer = version == VERSION_0
                        ? new ProducerEntry(buffer.getLong(), buffer.getShort())
                        : new ProducerEntry(buffer.getLong(), buffer.getShort(), buffer.getInt(), buffer.getLong(), buffer.getLong());
                int batches = buffer.get();
                for (int b = 0; b < batches; b++) {
                    producer.restore(new BatchMetadata(buffer.getInt(), buffer.getInt(),
                            buffer.getLong(), buffer.getLong(), buffer.getLong()));
                }
                producers.add(producer);
            }
            return producers;
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new CorruptCheckpointException(file, "truncated");
        }
    }

    /** CRC32C of the bytes from the count field to the buffer's limit. */
    private static int crc(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(CRC_COVERED_FROM));
        return (int) crc.getValue();
    }
}
