package io.runnel.broker.coordinator;

import io.runnel.coordinator.runtime.CoordinatorShard;
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
 * Replays a partition of a coordinator's internal topic into its shard, from the log start to the
 * log end, when this broker comes to lead it: data records with their batch's producer, and
 * transaction markers. It reads to the log end, not the high watermark, as both of Kafka's
 * coordinators do: a new leader's high watermark may lag its log until the followers catch up, and
 * the records above it were written by a coordinator that may have answered for them. A record that
 * cannot be read or applied is logged and skipped; the rest still load. Called on the coordinator thread.
 */
final class CoordinatorLoader {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorLoader.class);
    private static final int READ_BYTES = 1 << 20;

    private CoordinatorLoader() {
    }

    /**
     * Replays partition {@code partition} (whose log is {@code partitionLog}) into {@code shard};
     * returns the number of records and markers read. A log that cannot be read to its end (a corrupt
     * batch) is logged and loaded as far as it could be read.
     */
    static long load(PartitionLog partitionLog, int partition, CoordinatorShard shard) {
        Replayer replayer = new Replayer(partitionLog, partition, shard);
        try {
            long offset = partitionLog.logStartOffset();
            while (offset < partitionLog.logEndOffset()) {
                FetchSlice slice = partitionLog.read(offset, READ_BYTES, true, FetchIsolation.LOG_END);
                if (slice.isEmpty()) {
                    break;
                }
                long next = KeyValueRecords.forEach(read(slice, partitionLog), replayer);
                if (next <= offset) {
                    break;
                }
                offset = next;
            }
        } catch (RuntimeException e) {
            log.error("Could not read all of {}; records stored after the failure point are not loaded", partitionLog.topicPartition(), e);
        }
        return replayer.count;
    }

    /** Hands each record to the shard, skipping one that fails: losing one key's value beats loading nothing. */
    private static final class Replayer implements KeyValueRecords.BatchVisitor {

        private final PartitionLog partitionLog;
        private final int partition;
        private final CoordinatorShard shard;
        private long count;

        Replayer(PartitionLog partitionLog, int partition, CoordinatorShard shard) {
            this.partitionLog = partitionLog;
            this.partition = partition;
            this.shard = shard;
        }

        @Override
        public void onRecord(KeyValueRecords.BatchHeader batch, long offset, ByteBuffer key, ByteBuffer value) {
            count++;
            try {
                shard.replay(partition, offset, batch.producerId(), batch.producerEpoch(), key, value);
            } catch (RuntimeException e) {
                log.warn("Skipping the record at offset {} of {}: {}", offset, partitionLog.topicPartition(), e.toString());
            }
        }

        @Override
        public void onMarker(KeyValueRecords.BatchHeader batch, long offset, boolean commit, int coordinatorEpoch) {
            count++;
            try {
                shard.replayMarker(partition, batch.producerId(), batch.producerEpoch(), commit);
            } catch (RuntimeException e) {
                log.warn("Skipping the marker at offset {} of {}: {}", offset, partitionLog.topicPartition(), e.toString());
            }
        }
    }

    private static ByteBuffer read(FetchSlice slice, PartitionLog partitionLog) {
        ByteBuffer buffer = ByteBuffer.allocate(slice.size());
        try {
            while (buffer.hasRemaining()) {
                int read = slice.channel().read(buffer, slice.position() + buffer.position());
                if (read < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + partitionLog.topicPartition(), e);
        }
        return buffer.flip();
    }
}
