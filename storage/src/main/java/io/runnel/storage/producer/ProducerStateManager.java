package io.runnel.storage.producer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotent-producer state of one partition (producer id to epoch and recent batches), with
 * snapshots in the partition directory so a restart only replays batches written after the
 * latest snapshot. Only the newest {@value #SNAPSHOTS_KEPT} snapshots are kept.
 *
 * <p>Threading: not thread-safe; guarded by the owning log's writer lock.
 */
public final class ProducerStateManager {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);
    private static final int SNAPSHOTS_KEPT = 2;

    private final Path dir;
    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    public ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    public ProducerAppendValidator newValidator() {
        return new ProducerAppendValidator(producers);
    }

    /** Records a batch that is now in the log. */
    public void apply(ProducerBatch batch) {
        producers.computeIfAbsent(batch.producerId(), id -> new ProducerEntry(id, batch.epoch()))
                .add(batch.epoch(), batch.metadata());
    }

    public Optional<ProducerEntry> entry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    /**
     * Forgets producers whose last append is {@code expirationMs} or more before {@code nowMs}
     * (Kafka's {@code producer.id.expiration.ms}). A forgotten producer that comes back is treated
     * as a new one and may start at any sequence.
     *
     * @return the number of producers removed
     */
    public int removeExpiredProducers(long nowMs, long expirationMs) {
        int before = producers.size();
        producers.values().removeIf(p -> nowMs - p.lastTimestamp() >= expirationMs);
        int removed = before - producers.size();
        if (removed > 0) {
            LOG.debug("Expired {} idle producer ids in {}", removed, dir);
        }
        return removed;
    }

    /** A snapshot of every producer remembered. */
    public List<ActiveProducer> activeProducers() {
        return producers.values().stream()
                .map(p -> new ActiveProducer(p.producerId(), p.epoch(), p.lastSeq(), p.lastTimestamp()))
                .toList();
    }

    /**
     * The offset of the last batch each known producer wrote: the cleaner keeps these batches (if only
     * as empty batches) so that the producers' sequence numbers survive compaction and a restart.
     */
    public Map<Long, Long> lastBatchOffsets() {
        Map<Long, Long> offsets = new HashMap<>();
        for (ProducerEntry producer : producers.values()) {
            producer.lastBatch().ifPresent(batch -> offsets.put(producer.producerId(), batch.lastOffset()));
        }
        return offsets;
    }

    public int producerCount() {
        return producers.size();
    }

    /** Writes the current state as of log end offset {@code offset} and prunes older snapshots. */
    public void takeSnapshot(long offset) throws IOException {
        ProducerSnapshotFile.write(ProducerSnapshotFile.path(dir, offset), producers.values());
        List<Path> snapshots = snapshotsNewestFirst();
        for (Path old : snapshots.subList(Math.min(SNAPSHOTS_KEPT, snapshots.size()), snapshots.size())) {
            Files.deleteIfExists(old);
        }
    }

    /**
     * Replaces the in-memory state with the newest readable snapshot at or below
     * {@code logEndOffset}, deleting snapshots above it (they describe truncated data) and
     * unreadable ones. Returns the snapshot's offset, from which batches must be replayed,
     * or -1 if no snapshot was usable (state is empty; replay the whole log).
     */
    public long loadLatestSnapshot(long logEndOffset) throws IOException {
        producers.clear();
        for (Path snapshot : snapshotsNewestFirst()) {
            long offset = ProducerSnapshotFile.offsetOf(snapshot);
            if (offset > logEndOffset) {
                LOG.info("Deleting producer snapshot {} beyond log end offset {}", snapshot, logEndOffset);
                Files.deleteIfExists(snapshot);
                continue;
            }
            try {
                ProducerSnapshotFile.read(snapshot).forEach(p -> producers.put(p.producerId(), p));
                return offset;
            } catch (IOException e) {
                LOG.warn("Deleting unreadable producer snapshot: {}", e.getMessage());
                Files.deleteIfExists(snapshot);
            }
        }
        return -1;
    }

    private List<Path> snapshotsNewestFirst() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> ProducerSnapshotFile.offsetOf(f) >= 0)
                    .sorted(Comparator.comparingLong(ProducerSnapshotFile::offsetOf).reversed())
                    .toList();
        }
    }
}
