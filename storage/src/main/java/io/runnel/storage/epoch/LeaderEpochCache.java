package io.runnel.storage.epoch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.runnel.storage.checkpoint.CheckpointFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered list of (leader epoch, start offset) pairs of one partition, persisted in its
 * {@code leader-epoch-checkpoint} file (lines {@code <epoch> <startOffset>}) after every change.
 *
 * <p>Threading: mutations come from the log's single writer; queries may come from any thread and
 * read an immutable snapshot of the list (copy on write), so they never block appends.
 */
public final class LeaderEpochCache {
    public static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochCache.class);

    private final CheckpointFile<EpochEntry> checkpoint;
    private volatile List<EpochEntry> entries;

    private LeaderEpochCache(CheckpointFile<EpochEntry> checkpoint, List<EpochEntry> entries) {
        this.checkpoint = checkpoint;
        this.entries = List.copyOf(entries);
    }

    /** Loads the cache from {@code partitionDir}; a missing file yields an empty cache. */
    public static LeaderEpochCache load(Path partitionDir) throws IOException {
        CheckpointFile<EpochEntry> file = new CheckpointFile<>(partitionDir.resolve(FILE_NAME),
                new CheckpointFile.EntryFormat<>() {
                    @Override
                    public String toLine(EpochEntry entry) {
                        return entry.epoch() + " " + entry.startOffset();
                    }

                    @Override
                    public EpochEntry fromLine(String line) {
                        String[] parts = line.split(" ");
                        if (parts.length != 2) {
                            throw new IllegalArgumentException("expected 2 fields: " + line);
                        }
                        return new EpochEntry(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                    }
                });
        return new LeaderEpochCache(file, file.read());
    }

    public List<EpochEntry> entries() {
        return entries;
    }

    /** The latest epoch, or -1 if none is known. */
    public int latestEpoch() {
        List<EpochEntry> current = entries;
        return current.isEmpty() ? -1 : current.get(current.size() - 1).epoch();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} if it is newer than the latest epoch.
     * Older or equal epochs are ignored: the first offset of an epoch never moves forward.
     */
    public void assign(int epoch, long startOffset) throws IOException {
        if (epoch < 0 || epoch <= latestEpoch()) {
            return;
        }
        List<EpochEntry> updated = new ArrayList<>(entries);
        updated.removeIf(e -> e.startOffset() >= startOffset);
        updated.add(new EpochEntry(epoch, startOffset));
        replace(updated);
    }

    /** Drops epochs starting at or after {@code endOffset} (the log was truncated to it). */
    public void truncateFromEnd(long endOffset) throws IOException {
        List<EpochEntry> updated = new ArrayList<>(entries);
        if (updated.removeIf(e -> e.startOffset() >= endOffset)) {
            replace(updated);
        }
    }

    /**
     * Drops epochs wholly below {@code startOffset} (segments were deleted); the epoch covering the
     * new start offset is kept, moved to start there.
     */
    public void truncateFromStart(long startOffset) throws IOException {
        List<EpochEntry> updated = new ArrayList<>();
        EpochEntry covering = null;
        for (EpochEntry entry : entries) {
            if (entry.startOffset() <= startOffset) {
                covering = entry;
            } else {
                updated.add(entry);
            }
        }
        if (covering == null) {
            return;
        }
        updated.add(0, new EpochEntry(covering.epoch(), startOffset));
        if (!updated.equals(entries)) {
            replace(updated);
        }
    }

    /**
     * Kafka OffsetForLeaderEpoch semantics: for the latest epoch, the log end offset; for an older
     * known epoch (or one between two known epochs), the largest known epoch &lt;= requested and the
     * start offset of the next higher epoch; for an epoch below all known, (requested, first start
     * offset); for an unknown newer epoch or an empty cache, {@link EpochEndOffset#UNDEFINED}.
     */
    public EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        List<EpochEntry> current = entries;
        if (requestedEpoch < 0 || current.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (requestedEpoch == latestEpoch()) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        EpochEntry floor = null;
        for (EpochEntry entry : current) {
            if (entry.epoch() > requestedEpoch) {
                return floor == null
                        ? new EpochEndOffset(requestedEpoch, entry.startOffset())
                        : new EpochEndOffset(floor.epoch(), entry.startOffset());
            }
            floor = entry;
        }
        return EpochEndOffset.UNDEFINED;
    }

    private void replace(List<EpochEntry> updated) throws IOException {
        entries = List.copyOf(updated);
        checkpoint.write(entries);
        LOG.debug("Leader epochs of {} are now {}", checkpoint.path().getParent(), entries);
    }
}
