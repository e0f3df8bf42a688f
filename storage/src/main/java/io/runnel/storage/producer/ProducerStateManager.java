package io.runnel.storage.producer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;

import org.apache.kafka.common.record.internal.RecordBatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Producer state of one partition (producer id to epoch, recent batches and open transaction), with
 * snapshots in the partition directory so a restart only replays batches written after the
 * latest snapshot. Only the newest {@value #SNAPSHOTS_KEPT} snapshots are kept.
 *
 * <p>Transactions: {@code ongoingTxns} holds the open ones by first offset; a marker's
 * {@link #completeTxn} moves a transaction to {@code unreplicatedTxns}, where it stays until the high
 * watermark passes its marker ({@link #onHighWatermarkUpdated}). The lowest first offset of the two is
 * the {@linkplain #firstUnstableOffset() first unstable offset}, which bounds the last stable offset.
 * Verifications in progress (KIP-890) are kept per producer until its next transactional append.
 *
 * <p>Threading: not thread-safe; guarded by the owning log's writer lock.
 */
public final class ProducerStateManager {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);
    private static final int SNAPSHOTS_KEPT = 2;

    private final Path dir;
    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** First offset to producer id, of every transaction without a marker. */
    private final TreeMap<Long, Long> ongoingTxns = new TreeMap<>();
    /** First offset to marker offset, of completed transactions whose marker is not yet below the high watermark. */
    private final TreeMap<Long, Long> unreplicatedTxns = new TreeMap<>();
    private final Map<Long, VerificationEntry> verifications = new HashMap<>();

    public ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    /** A validator for a client append with no verification required (idempotent producers). */
    public ProducerAppendValidator newValidator() {
        return newValidator(AppendOrigin.CLIENT, VerificationGuard.NONE, false);
    }

    /**
     * A validator for one append request from {@code origin}, carrying {@code requestGuard}. With
     * {@code verificationRequired}, a transactional batch may open a transaction only if the guard is
     * the producer's current verification.
     */
    public ProducerAppendValidator newValidator(AppendOrigin origin, VerificationGuard requestGuard,
            boolean verificationRequired) {
        return new ProducerAppendValidator(producers, verifications, origin, requestGuard, verificationRequired);
    }

    /** Records a data batch that is now in the log; a transactional one opens its producer's transaction if none is. */
    public void apply(ProducerBatch batch) {
        ProducerEntry entry = producers.computeIfAbsent(batch.producerId(), id -> new ProducerEntry(id, batch.epoch()));
        entry.add(batch.epoch(), batch.metadata());
        if (batch.transactional()) {
            // the verification has served its purpose: from now on the open transaction proves membership
            verifications.remove(batch.producerId());
            if (!entry.hasOpenTxn()) {
                entry.beginTxn(batch.metadata().firstOffset());
                ongoingTxns.put(batch.metadata().firstOffset(), batch.producerId());
            }
        }
    }

    /**
     * Records a marker now in the log at {@code offset}, written at the producer's {@code epoch}.
     * Returns the transaction it closed, which the caller must pass to {@link #completeTxn} (after
     * indexing it, if aborted), or null if the producer had no transaction open here.
     */
    public CompletedTxn applyMarker(long producerId, short epoch, TxnMarker marker, long offset, long timestamp) {
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(id, epoch));
        verifications.remove(producerId);
        CompletedTxn completed = entry.hasOpenTxn()
                ? new CompletedTxn(producerId, entry.currentTxnFirstOffset(), offset, !marker.commit())
                : null;
        entry.endTxn(epoch, marker.coordinatorEpoch(), timestamp);
        return completed;
    }

    /**
     * Applies a batch now in the log (appended, replicated, or read back on load or truncation),
     * without checks: a data batch is recorded as seen at {@code nowMs}, and a marker completes its
     * transaction at once. Batches without a producer id are ignored.
     */
    public void applyBatch(RecordBatch batch, long nowMs) {
        applyBatch(batch, nowMs, null);
    }

    /**
     * As {@link #applyBatch(RecordBatch, long)}; a marker that aborts a transaction is first passed to
     * {@code aborted} with the {@linkplain #lastStableOffsetAfter last stable offset after it}, for
     * the transaction index, before the transaction completes.
     */
    public void applyBatch(RecordBatch batch, long nowMs, ObjLongConsumer<CompletedTxn> aborted) {
        if (!batch.hasProducerId()) {
            return;
        }
        if (!batch.isControlBatch()) {
            apply(new ProducerBatch(batch.producerId(), batch.producerEpoch(), new BatchMetadata(batch.baseSequence(),
                    batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), nowMs), batch.isTransactional()));
            return;
        }
        TxnMarker marker = TxnMarker.of(batch);
        if (marker != null) {
            CompletedTxn completed = applyMarker(batch.producerId(), batch.producerEpoch(), marker, batch.baseOffset(), nowMs);
            if (completed != null) {
                if (completed.aborted() && aborted != null) {
                    aborted.accept(completed, lastStableOffsetAfter(completed));
                }
                completeTxn(completed);
            }
        }
    }

    /**
     * The last stable offset right after {@code completed} is done, for the transaction index: the
     * first offset of the oldest transaction still open of another producer, else the offset after
     * the marker. Call before {@link #completeTxn}.
     */
    public long lastStableOffsetAfter(CompletedTxn completed) {
        for (Map.Entry<Long, Long> txn : ongoingTxns.entrySet()) {
            if (txn.getValue() != completed.producerId()) {
                return txn.getKey();
            }
        }
        return completed.lastOffset() + 1;
    }

    /** Moves a transaction a marker closed from the open ones to those waiting for the high watermark. */
    public void completeTxn(CompletedTxn completed) {
        if (ongoingTxns.remove(completed.firstOffset()) == null) {
            throw new IllegalArgumentException("Transaction " + completed + " was never started in " + dir);
        }
        unreplicatedTxns.put(completed.firstOffset(), completed.lastOffset());
    }

    /** Forgets completed transactions whose marker is below {@code highWatermark}: they are stable now. */
    public void onHighWatermarkUpdated(long highWatermark) {
        // Called on every high watermark move; most find nothing waiting, and removeIf would still allocate its iterator.
        if (!unreplicatedTxns.isEmpty()) {
            unreplicatedTxns.values().removeIf(markerOffset -> markerOffset < highWatermark);
        }
    }

    /** Whether a completed transaction still waits for the high watermark to pass its marker. */
    public boolean hasUnreplicatedTxns() {
        return !unreplicatedTxns.isEmpty();
    }

    /**
     * The first offset of the oldest transaction that is open, or completed with its marker not yet
     * replicated; -1 if there is none. Offsets from here on are not stable.
     */
    public long firstUnstableOffset() {
        long first = -1;
        if (!ongoingTxns.isEmpty()) {
            first = ongoingTxns.firstKey();
        }
        if (!unreplicatedTxns.isEmpty() && (first < 0 || unreplicatedTxns.firstKey() < first)) {
            first = unreplicatedTxns.firstKey();
        }
        return first;
    }

    /** Whether {@code producerId} has a transaction open in this partition. */
    public boolean hasOpenTxn(long producerId) {
        ProducerEntry entry = producers.get(producerId);
        return entry != null && entry.hasOpenTxn();
    }

    /**
     * Starts or continues the verification of a transactional batch (KIP-890) and returns the guard
     * the append must carry, or {@link VerificationGuard#NONE} if the producer has a transaction open
     * here already at {@code epoch} (nothing to verify).
     */
    public VerificationGuard startVerification(long producerId, int sequence, short epoch, boolean supportsEpochBump,
            long nowMs) {
        // Only a transaction open at this epoch: under the second protocol a bumped epoch is a new
        // transaction, which must be verified even while the previous one's marker is on its way
        // (Kafka's hasOngoingTransaction(producerId, producerEpoch)).
        ProducerEntry producer = producers.get(producerId);
        if (producer != null && producer.hasOpenTxn() && producer.epoch() == epoch) {
            return VerificationGuard.NONE;
        }
        VerificationEntry entry = verifications.computeIfAbsent(producerId,
                id -> new VerificationEntry(nowMs, sequence, epoch, supportsEpochBump));
        entry.update(sequence, epoch);
        return entry.guard();
    }

    /** The guard of the producer's verification in progress, or {@link VerificationGuard#NONE}. */
    public VerificationGuard verificationGuard(long producerId) {
        VerificationEntry entry = verifications.get(producerId);
        return entry == null ? VerificationGuard.NONE : entry.guard();
    }

    public Optional<ProducerEntry> entry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    /**
     * Forgets producers whose last append is {@code expirationMs} or more before {@code nowMs}
     * (Kafka's {@code producer.id.expiration.ms}), except those with a transaction open: their state
     * holds back the last stable offset until a marker comes. A forgotten producer that comes back is
     * treated as a new one and may start at any sequence. Verifications that old are dropped too.
     *
     * @return the number of producers removed
     */
    public int removeExpiredProducers(long nowMs, long expirationMs) {
        int before = producers.size();
        producers.values().removeIf(p -> !p.hasOpenTxn() && nowMs - p.lastTimestamp() >= expirationMs);
        verifications.values().removeIf(v -> nowMs - v.timestamp() >= expirationMs);
        int removed = before - producers.size();
        if (removed > 0) {
            LOG.debug("Expired {} idle producer ids in {}", removed, dir);
        }
        return removed;
    }

    /** A snapshot of every producer remembered. */
    public List<ActiveProducer> activeProducers() {
        return producers.values().stream()
                .map(p -> new ActiveProducer(p.producerId(), p.epoch(), p.lastSeq(), p.lastTimestamp(), p.coordinatorEpoch(),
                        p.currentTxnFirstOffset()))
                .toList();
    }

    /**
     * The last record of each known producer: the last offset of its newest cached batch, or none
     * (then its epoch). The cleaner keeps what these point at, so that the producers' sequence
     * numbers and epochs survive compaction and a restart.
     */
    public Map<Long, LastRecord> lastRecords() {
        Map<Long, LastRecord> last = new HashMap<>();
        for (ProducerEntry producer : producers.values()) {
            long lastDataOffset = producer.lastBatch().map(BatchMetadata::lastOffset).orElse(LastRecord.NO_DATA);
            last.put(producer.producerId(), new LastRecord(lastDataOffset, producer.epoch()));
        }
        return last;
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
        ongoingTxns.clear();
        unreplicatedTxns.clear();
        verifications.clear();
        for (Path snapshot : snapshotsNewestFirst()) {
            long offset = ProducerSnapshotFile.offsetOf(snapshot);
            if (offset > logEndOffset) {
                LOG.info("Deleting producer snapshot {} beyond log end offset {}", snapshot, logEndOffset);
                Files.deleteIfExists(snapshot);
                continue;
            }
            try {
                for (ProducerEntry producer : ProducerSnapshotFile.read(snapshot)) {
                    producers.put(producer.producerId(), producer);
                    if (producer.hasOpenTxn()) {
                        ongoingTxns.put(producer.currentTxnFirstOffset(), producer.producerId());
                    }
                }
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
