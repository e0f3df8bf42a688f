package io.runnel.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.transaction.record.TransactionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random clients against one coordinator, with writes that fail, coordinator moves (unload and reload
 * from the log), and marker feedback that is dropped, duplicated, failed and reordered. Seeded and
 * replayable; the invariants are checked after every step:
 * <ul>
 *   <li>the producer id and epoch a client is given never go back;</li>
 *   <li>no CompleteX is written before every partition of its PrepareX has its marker;</li>
 *   <li>every PrepareX is followed by at most one CompleteX, of the same outcome;</li>
 *   <li>a reload from the log gives the same metadata;</li>
 *   <li>at the end, once markers and writes are delivered, every PrepareX ends in its CompleteX.</li>
 * </ul>
 */
class TransactionSimulationTest {

    private static final int SEEDS = 30;
    private static final int STEPS = 400;
    private static final List<String> IDS = List.of("a", "b", "c", "d", "e");
    private static final List<TopicPartition> PARTITIONS = List.of(
            new TopicPartition("t", 0), new TopicPartition("t", 1), new TopicPartition("u", 0), new TopicPartition("v", 3));

    @ParameterizedTest
    @EnumSource(value = TransactionVersion.class, names = {"TV_1", "TV_2"})
    void shouldKeepTheInvariantsUnderRandomClientsFaultsAndMoves(TransactionVersion finalized) {
        Map<TransactionState, Integer> written = new HashMap<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            new Simulation(seed, finalized).run().forEach((state, count) -> written.merge(state, count, Integer::sum));
        }
        // The runs reach every persisted state, so the invariants were put to the test.
        assertThat(written.keySet()).contains(TransactionState.ONGOING, TransactionState.COMPLETE_COMMIT, TransactionState.COMPLETE_ABORT);
        assertThat(written.get(TransactionState.COMPLETE_COMMIT)).isGreaterThan(SEEDS);
    }

    /** A write handed to the log, completed later. */
    private record PendingWrite(CoordinatorResult<?> result, String id, boolean endTxn) {
    }

    /** A marker to deliver; a null partition asks for the completion write itself. */
    private record Marker(String id, int coordinatorEpoch, TopicPartition partition) {
    }

    private static final class Simulation {

        private final long seed;
        private final Random random;
        private final TransactionVersion finalized;
        private final CoordinatorHarness h;
        private final List<PendingWrite> writes = new ArrayList<>();
        private final List<Marker> markers = new ArrayList<>();
        private final Map<String, ProducerAnswer> clients = new HashMap<>();
        private final Map<String, long[]> lastGiven = new HashMap<>();
        /** Per id: the partitions of the last PrepareX record, its outcome, the markers acknowledged since. */
        private final Map<String, Set<TopicPartition>> required = new HashMap<>();
        private final Map<String, Byte> preparedOutcome = new HashMap<>();
        private final Map<String, Set<TopicPartition>> acknowledged = new HashMap<>();
        private int coordinatorEpoch = CoordinatorHarness.COORDINATOR_EPOCH;
        private int step;
        private final Map<TransactionState, Integer> written = new HashMap<>();

        Simulation(long seed, TransactionVersion finalized) {
            this.seed = seed;
            this.random = new Random(seed);
            this.finalized = finalized;
            this.h = new CoordinatorHarness(finalized, new TransactionConfig(CoordinatorHarness.PARTITIONS, 900_000, 300_000));
            h.onAppend = (partition, record) -> checkAppended(record);
        }

        /** Runs the steps and the drain; gives how many records of each state were written. */
        Map<TransactionState, Integer> run() {
            for (step = 0; step < STEPS; step++) {
                int action = random.nextInt(100);
                if (action < 40) {
                    clientOperation();
                } else if (action < 65) {
                    completeAWrite(random.nextInt(100) < 85 ? Errors.NONE : randomWriteError());
                } else if (action < 85) {
                    deliverAMarker(true);
                } else if (action < 92) {
                    h.now += random.nextInt(40_000);
                    h.coordinator.abortTimedOut(h.now).forEach(r -> submit(r, null, false));
                    h.coordinator.expireTransactionalIds(h.now).forEach(r -> submit(r, null, false));
                } else if (action < 95) {
                    move();
                } else {
                    h.now += random.nextInt(5_000);
                }
                collectMarkers();
            }
            drain();
            return written;
        }

        // ---- actions ----------------------------------------------------------------------------

        private void clientOperation() {
            String id = IDS.get(random.nextInt(IDS.size()));
            ProducerAnswer client = clients.get(id);
            TransactionVersion protocol = finalized == TransactionVersion.TV_2 && random.nextBoolean() ? TransactionVersion.TV_2
                    : TransactionVersion.TV_1;
            int op = random.nextInt(10);
            if (client == null || op == 0) {
                boolean recover = client != null && random.nextBoolean();
                submit(h.coordinator.initProducerId(id, 60_000, recover ? client.producerId() : -1,
                        recover ? client.producerEpoch() : (short) -1, h.now), id, false);
            } else if (op < 6) {
                List<TopicPartition> some = new ArrayList<>(PARTITIONS.subList(0, 1 + random.nextInt(PARTITIONS.size())));
                short epoch = random.nextInt(10) == 0 ? (short) (client.producerEpoch() - 1) : client.producerEpoch();
                submit(h.coordinator.addPartitions(id, client.producerId(), epoch, some, protocol, h.now), id, false);
            } else {
                submit(h.coordinator.endTxn(id, client.producerId(), client.producerEpoch(), random.nextBoolean(), protocol, h.now), id, true);
            }
        }

        private void submit(CoordinatorResult<?> result, String id, boolean endTxn) {
            if (result.needsWrite()) {
                writes.add(new PendingWrite(result, id, endTxn));
            } else {
                observe(id, result.answer());
            }
        }

        private void completeAWrite(Errors error) {
            if (writes.isEmpty()) {
                return;
            }
            // Writes to one partition complete in order; different partitions interleave.
            int partition = writes.get(random.nextInt(writes.size())).result().partition();
            PendingWrite write = writes.stream().filter(w -> w.result().partition() == partition).findFirst().orElseThrow();
            writes.remove(write);
            Object answer = h.finish(write.result(), error);
            observe(write.id(), answer);
            if (write.id() == null && answer == Errors.COORDINATOR_NOT_AVAILABLE) {
                // A completion (or expiry) that did not reach the replicas: the sender retries the completion.
                write.result().records().forEach(r -> markers.add(new Marker(r.key().transactionalId(), coordinatorEpoch, null)));
            }
        }

        private void deliverAMarker(boolean faulty) {
            if (markers.isEmpty()) {
                return;
            }
            Marker marker = markers.get(random.nextInt(markers.size()));
            int fate = faulty ? random.nextInt(10) : 9;
            if (fate == 0) {
                markers.remove(marker);
                return;
            }
            if (marker.partition() == null) {
                markers.remove(marker);
                submit(h.coordinator.writeCompletion(marker.id(), marker.coordinatorEpoch(), h.now), null, false);
                return;
            }
            if (fate == 1) {
                h.coordinator.onMarkerWritten(marker.id(), marker.coordinatorEpoch(), marker.partition(), Errors.NOT_LEADER_OR_FOLLOWER, h.now);
                return;
            }
            if (fate != 2) {
                markers.remove(marker);
            }
            acknowledged.computeIfAbsent(marker.id(), id -> new HashSet<>()).add(marker.partition());
            submit(h.coordinator.onMarkerWritten(marker.id(), marker.coordinatorEpoch(), marker.partition(), Errors.NONE, h.now), null, false);
        }

        /**
         * The partitions move to a new leader. The old leader's writes in flight land or fail before the
         * new leader loads the log (a deposed leader cannot append); some land after the old leader
         * unloaded, some before.
         */
        private void move() {
            boolean unloadFirst = random.nextBoolean();
            if (unloadFirst) {
                for (int p = 0; p < CoordinatorHarness.PARTITIONS; p++) {
                    h.coordinator.unloadPartition(p);
                }
            }
            while (!writes.isEmpty()) {
                completeAWrite(random.nextInt(100) < 80 ? Errors.NONE : randomWriteError());
            }
            if (!unloadFirst) {
                checkReloadMatches();
            }
            coordinatorEpoch++;
            h.restart(coordinatorEpoch);
        }

        /** Everything delivered, nothing lost: every decided transaction must complete. */
        private void drain() {
            // A new leader, after the old one's writes landed or failed: an old leader cannot append after it.
            move();
            collectMarkers();
            for (int rounds = 0; (!writes.isEmpty() || !markers.isEmpty()) && rounds < 10_000; rounds++) {
                if (!writes.isEmpty()) {
                    completeAWrite(Errors.NONE);
                } else {
                    deliverAMarker(false);
                }
                collectMarkers();
            }
            assertThat(writes).as(context("writes left")).isEmpty();
            preparedOutcome.forEach((id, outcome) -> assertThat(outcome).as(context("PrepareX of " + id + " without its CompleteX")).isNull());
        }

        private void collectMarkers() {
            for (TxnMarkers m : h.markers) {
                if (m.partitions().isEmpty()) {
                    markers.add(new Marker(m.transactionalId(), m.coordinatorEpoch(), null));
                }
                m.partitions().forEach(p -> markers.add(new Marker(m.transactionalId(), m.coordinatorEpoch(), p)));
            }
            h.markers.clear();
        }

        private Errors randomWriteError() {
            List<Errors> errors = List.of(Errors.NOT_ENOUGH_REPLICAS, Errors.NOT_LEADER_OR_FOLLOWER, Errors.REQUEST_TIMED_OUT);
            return errors.get(random.nextInt(errors.size()));
        }

        // ---- invariants -------------------------------------------------------------------------

        /** A client's answer: the producer it is given never goes back. */
        private void observe(String id, Object answer) {
            if (!(answer instanceof ProducerAnswer producer) || producer.error() != Errors.NONE || id == null) {
                return;
            }
            long[] last = lastGiven.get(id);
            if (last != null) {
                boolean forward = producer.producerId() > last[0] || (producer.producerId() == last[0] && producer.producerEpoch() >= last[1]);
                assertThat(forward).as(context(id + " went back from " + last[0] + "/" + last[1] + " to " + producer)).isTrue();
            }
            lastGiven.put(id, new long[] {producer.producerId(), producer.producerEpoch()});
            clients.put(id, producer);
        }

        private void checkAppended(TransactionRecord record) {
            String id = record.key().transactionalId();
            if (record.isTombstone()) {
                assertThat(preparedOutcome.get(id)).as(context("tombstone of " + id + " with a transaction in flight")).isNull();
                return;
            }
            TransactionState state = TransactionState.fromId(record.value().status());
            written.merge(state, 1, Integer::sum);
            if (state.isPrepare()) {
                assertThat(preparedOutcome.get(id)).as(context("second PrepareX of " + id + " before its CompleteX")).isNull();
                preparedOutcome.put(id, record.value().status());
                required.put(id, new HashSet<>(record.value().partitions()));
                acknowledged.put(id, new HashSet<>());
            } else if (state.isComplete()) {
                Byte prepared = preparedOutcome.remove(id);
                assertThat(prepared).as(context("CompleteX of " + id + " without its PrepareX")).isNotNull();
                assertThat(state).as(context("outcome of " + id))
                        .isEqualTo(prepared == TransactionState.PREPARE_COMMIT.id() ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT);
                assertThat(acknowledged.get(id)).as(context("markers of " + id + " before CompleteX")).containsAll(required.get(id));
            } else {
                assertThat(preparedOutcome.get(id)).as(context(state + " of " + id + " with a transaction in flight")).isNull();
            }
        }

        /**
         * The live state equals the state loaded from the log, except what Kafka keeps only in memory:
         * the partitions already given their marker in PrepareX, an epoch bumped by a fence that
         * failed to be written, and the previous producer id (each record holds the producer id of
         * the moment it was prepared).
         */
        private void checkReloadMatches() {
            TransactionCoordinator reloaded = h.reload(finalized, coordinatorEpoch + 100);
            h.markers.clear();
            for (TransactionMetadata live : h.coordinator.ownedTransactions().values()) {
                boolean neverWritten = live.producerEpoch() == TransactionMetadata.NO_PRODUCER_EPOCH;
                if (neverWritten || live.state().isPrepare() || live.hasFailedEpochFence() || live.pendingState() == TransactionState.DEAD) {
                    continue;
                }
                TransactionMetadata loaded = reloaded.metadata(live.transactionalId());
                assertThat(loaded).as(context("reload of " + live.transactionalId())).isNotNull();
                assertThat(loaded.persistedView()).as(context("reload of " + live.transactionalId())).isEqualTo(live.persistedView());
            }
        }

        private String context(String what) {
            return "seed " + seed + " " + finalized + " step " + step + ": " + what;
        }
    }
}
