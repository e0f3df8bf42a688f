package io.runnel.broker.group;

import io.runnel.group.GroupCoordinator;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordSerde;
import io.runnel.protocol.KeyValueRecords;
import io.runnel.storage.log.FetchIsolation;
import io.runnel.storage.log.FetchSlice;
import io.runnel.storage.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the records of a {@code __consumer_offsets} partition into the coordinator, from the log
 * start, when this broker comes to lead it. A record that cannot be read or applied is logged and
 * skipped; the rest still load. Called on the coordinator thread.
 */
final class OffsetsTopicLoader {

    private static final Logger log = LoggerFactory.getLogger(OffsetsTopicLoader.class);
    private static final int READ_BYTES = 1 << 20;

    private OffsetsTopicLoader() {
    }

    /**
     * Replays one partition from its log start to its log end; returns the number of records read. A
     * partition that cannot be read to its end (a corrupt batch) is logged and loaded as far as it could
     * be read.
     */
    static long load(PartitionLog partitionLog, GroupCoordinator coordinator) {
        try {
            return replayAll(partitionLog, coordinator);
        } catch (RuntimeException e) {
            log.error("Could not read all of {}; groups stored after the failure point are not loaded", partitionLog.topicPartition(), e);
            return 0;
        }
    }

    /**
     * Reads to the log end, not to the high watermark, as Kafka's loader does: a replica just elected
     * leader learns the high watermark only from its followers' next fetches, and the records above it
     * may be commits the old leader had already acknowledged (they were on every ISR member). Loading
     * only below it would answer OffsetFetch with older offsets and a group would read records again.
     * This leader never truncates them, so they become committed as its followers catch up.
     */
    private static long replayAll(PartitionLog partitionLog, GroupCoordinator coordinator) {
        long offset = partitionLog.logStartOffset();
        long[] count = {0};
        while (offset < partitionLog.logEndOffset()) {
            FetchSlice slice = partitionLog.read(offset, READ_BYTES, true, FetchIsolation.LOG_END);
            if (slice.isEmpty()) {
                break;
            }
            long next = KeyValueRecords.forEach(read(slice), (key, value) -> {
                count[0]++;
                replay(partitionLog, key, value, coordinator);
            });
            if (next <= offset) {
                break;
            }
            offset = next;
        }
        return count[0];
    }

    private static void replay(PartitionLog partitionLog, ByteBuffer key, ByteBuffer value, GroupCoordinator coordinator) {
        try {
            GroupRecord record = GroupRecordSerde.deserialize(key, value);
            if (record != null) {
                coordinator.replay(record);
            }
        } catch (RuntimeException e) {
            // A record this version cannot read or apply: skipping it loses one key's value, failing
            // would keep every group of the broker from loading.
            log.warn("Skipping a record of {}: {}", partitionLog.topicPartition(), e.toString());
        }
    }

    private static ByteBuffer read(FetchSlice slice) {
        ByteBuffer buffer = ByteBuffer.allocate(slice.size());
        try {
            while (buffer.hasRemaining()) {
                int read = slice.channel().read(buffer, slice.position() + buffer.position());
                if (read < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OffsetsTopic.NAME, e);
        }
        return buffer.flip();
    }
}
