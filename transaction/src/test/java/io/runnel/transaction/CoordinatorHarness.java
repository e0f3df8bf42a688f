package io.runnel.transaction;

import io.runnel.transaction.record.TransactionLogSerde;
import io.runnel.transaction.record.TransactionRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.protocol.Errors;

/**
 * A coordinator with a manual clock, a counting producer id source and an in-memory
 * {@code __transaction_state}: every write goes through the real serde, so that a reload replays
 * exactly the bytes Kafka would find.
 */
final class CoordinatorHarness {

    static final int PARTITIONS = 3;
    static final int COORDINATOR_EPOCH = 5;
    static final int TIMEOUT_MS = 60_000;

    long now = 1_000_000;
    long nextProducerId = 1000;
    boolean producerIdsUnavailable;
    TransactionCoordinator coordinator;
    final TransactionVersion finalizedVersion;
    /** Per partition, the written records as key and value bytes, in log order. */
    final Map<Integer, List<ByteBuffer[]>> log = new TreeMap<>();
    /** Markers handed out by completed writes, in order. */
    final List<TxnMarkers> markers = new ArrayList<>();

    final TransactionConfig config;
    /** Sees every record appended, in order (the simulation checks its invariants on them). */
    java.util.function.BiConsumer<Integer, TransactionRecord> onAppend = (partition, record) -> { };

    CoordinatorHarness(TransactionVersion finalizedVersion) {
        this(finalizedVersion, new TransactionConfig(PARTITIONS, 900_000, 604_800_000L));
    }

    CoordinatorHarness(TransactionVersion finalizedVersion, TransactionConfig config) {
        this.finalizedVersion = finalizedVersion;
        this.config = config;
        coordinator = new TransactionCoordinator(config, this::producerId, finalizedVersion);
        for (int p = 0; p < PARTITIONS; p++) {
            coordinator.beginLoading(p, COORDINATOR_EPOCH);
            coordinator.completeLoading(p, now);
        }
    }

    private long producerId() {
        if (producerIdsUnavailable) {
            throw new CoordinatorLoadInProgressException("next producer id block not ready");
        }
        return nextProducerId++;
    }

    /** Writes the records, completes the operation with success and gives its answer. */
    <R> R run(CoordinatorResult<R> result) {
        return finish(result, Errors.NONE);
    }

    /** Completes the operation with the given write outcome; records are kept only on success. */
    <R> R finish(CoordinatorResult<R> result, Errors writeError) {
        if (!result.needsWrite()) {
            return result.answer();
        }
        if (writeError == Errors.NONE) {
            append(result.partition(), result.records());
        }
        CoordinatorResult.Outcome<R> outcome = result.complete(writeError, now);
        markers.addAll(outcome.markers());
        return outcome.answer();
    }

    void append(int partition, List<TransactionRecord> records) {
        for (TransactionRecord record : records) {
            onAppend.accept(partition, record);
            byte[] value = TransactionLogSerde.serializeValue(record);
            log.computeIfAbsent(partition, p -> new ArrayList<>()).add(new ByteBuffer[] {
                ByteBuffer.wrap(TransactionLogSerde.serializeKey(record.key())), value == null ? null : ByteBuffer.wrap(value)});
        }
    }

    ProducerAnswer init(String id) {
        return run(coordinator.initProducerId(id, TIMEOUT_MS, -1, (short) -1, now));
    }

    /** Writes every marker handed out so far and the completions that follow. */
    void deliverMarkers() {
        List<TxnMarkers> pending = new ArrayList<>(markers);
        markers.clear();
        for (TxnMarkers m : pending) {
            if (m.partitions().isEmpty()) {
                run(coordinator.writeCompletion(m.transactionalId(), m.coordinatorEpoch(), now));
            }
            m.partitions().forEach(p -> run(coordinator.onMarkerWritten(m.transactionalId(), m.coordinatorEpoch(), p, Errors.NONE, now)));
        }
    }

    /** A new coordinator that loads this one's log, as a new leader of every partition would. */
    TransactionCoordinator reload(TransactionVersion finalizedVersion, int coordinatorEpoch) {
        TransactionCoordinator reloaded = new TransactionCoordinator(config, this::producerId, finalizedVersion);
        for (int p = 0; p < PARTITIONS; p++) {
            reloaded.beginLoading(p, coordinatorEpoch);
            for (ByteBuffer[] kv : log.getOrDefault(p, List.of())) {
                reloaded.replay(p, TransactionLogSerde.deserialize(kv[0], kv[1]));
            }
            markers.addAll(reloaded.completeLoading(p, now));
        }
        return reloaded;
    }

    /** Replaces the coordinator by one that loaded the log at a new coordinator epoch; its resumed markers are kept. */
    void restart(int coordinatorEpoch) {
        markers.clear();
        coordinator = reload(finalizedVersion, coordinatorEpoch);
    }

    /** Puts a state straight into the log and restarts, to start a test from it (e.g. an exhausted epoch). */
    void seed(String id, long producerId, short epoch, TransactionState state, List<org.apache.kafka.common.TopicPartition> partitions) {
        append(coordinator.partitionFor(id), List.of(new TransactionRecord(new io.runnel.transaction.record.TransactionLogKey(id),
                new io.runnel.transaction.record.TransactionLogValue(producerId, -1, -1, epoch, (short) -1, TIMEOUT_MS, state.id(),
                        state == TransactionState.EMPTY ? null : partitions, now, state == TransactionState.EMPTY ? -1 : now,
                        finalizedVersion.featureLevel()), finalizedVersion.logValueVersion())));
        restart(COORDINATOR_EPOCH + 1);
    }

    /** The last record written for an id, decoded. */
    TransactionRecord lastRecord(String id) {
        ByteBuffer[] last = null;
        for (ByteBuffer[] kv : log.getOrDefault(coordinator.partitionFor(id), List.of())) {
            TransactionRecord r = TransactionLogSerde.deserialize(kv[0], kv[1]);
            if (r.key().transactionalId().equals(id)) {
                last = kv;
            }
        }
        return last == null ? null : TransactionLogSerde.deserialize(last[0], last[1]);
    }

    int recordCount() {
        return log.values().stream().mapToInt(List::size).sum();
    }

    TransactionMetadata metadata(String id) {
        return coordinator.metadata(id);
    }
}
