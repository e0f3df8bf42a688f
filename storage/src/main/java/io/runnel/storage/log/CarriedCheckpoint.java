package io.runnel.storage.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import io.runnel.storage.checkpoint.OffsetCheckpointFile;
import org.apache.kafka.common.TopicPartition;

/**
 * One of a log directory's per-partition offset checkpoints (recovery point, log start offset, high
 * watermark): the file, the entries read at startup, and which offset of an open log it records.
 * Entries of partitions not opened since startup are carried over unchanged on every write, so they
 * are not lost. Threading: guarded by the owning {@link LogManager}.
 */
final class CarriedCheckpoint {
    private final OffsetCheckpointFile file;
    private final Map<TopicPartition, Long> read;
    private final ToLongFunction<PartitionLog> live;

    /** {@code read}: the file's entries at startup (empty if it was missing or unreadable); taken over. */
    CarriedCheckpoint(Path dir, String fileName, Map<TopicPartition, Long> read, ToLongFunction<PartitionLog> live) {
        this.file = new OffsetCheckpointFile(dir.resolve(fileName));
        this.read = read;
        this.live = live;
    }

    /** The offset read at startup for {@code tp}, or 0 if the file had none. */
    long offsetAtStartup(TopicPartition tp) {
        return read.getOrDefault(tp, 0L);
    }

    /** Forgets the carried entry of a partition whose log was deleted. */
    void forget(TopicPartition tp) {
        read.remove(tp);
    }

    /** Writes the live offsets of {@code logs} plus the carried entries of the {@code unopened} partitions. */
    void write(Set<TopicPartition> unopened, Collection<PartitionLog> logs) throws IOException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : unopened) {
            Long carried = read.get(tp);
            if (carried != null) {
                offsets.put(tp, carried);
            }
        }
        for (PartitionLog log : logs) {
            offsets.put(log.topicPartition(), live.applyAsLong(log));
        }
        file.write(offsets);
    }
}
