package io.runnel.broker.partition;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.storage.log.AppendResult;
import io.runnel.storage.log.PartitionLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The safety rules of replication, checked on every replica of every live broker process after every
 * step of a {@link ReplicationSimulation}, from the logs' own files (through {@link LogView}):
 * <ol>
 * <li>one leader per partition and leader epoch, across brokers' views, and it is the leader the
 *     controller committed for that epoch;</li>
 * <li>a replica's high watermark never goes back while its process lives;</li>
 * <li>every batch in any log is the batch the leader of its epoch wrote at that offset (so a follower's
 *     log never runs ahead of, or differs from, what its leader wrote), and a leader epoch writes one
 *     batch per offset;</li>
 * <li>the committed log, which every replica's high watermark exposes, is one: below its high watermark
 *     every replica holds exactly the batches (base offset, leader epoch, CRC) the others exposed, and
 *     nothing once exposed is ever changed (so the highest high watermark ever exposed never goes back);</li>
 * <li>every acknowledged write is in that committed log, and stays, at its offset, on the current leader
 *     and on every replica the controller counts in the ISR (in the registration of the process that
 *     holds it);</li>
 * <li>a replica's last stable offset and aborted transactions below its high watermark are those its own
 *     log and high watermark give by Kafka's rules (so every replica has the leader's from the moment
 *     it is elected);</li>
 * <li>at the end, after healing: all replicas identical, every acknowledged write present.</li>
 * </ol>
 * Rules 4, 5 and 7 hold as long as a copy survives that the controller trusts. The one exception is
 * Kafka's too (see {@link #onLastKnownLeaderElected}): with the ISR and ELR empty the controller
 * elects the last known leader, even one back from an unclean shutdown; if that replica's machine lost
 * power, what it had not flushed is lost. The committed log and the acknowledged writes are then cut
 * where that leader's log departs from them, and the replicas' older views of them are ignored until
 * they have followed the new leader down.
 * Not thread-safe.
 */
final class ReplicationInvariants {

    private record Written(int partition, int leaderEpoch, long baseOffset) { }

    private final ReplicationSimulation sim;
    private final Map<Written, LogView.Batch> written = new HashMap<>();
    private final Map<Written, String> writers = new HashMap<>();
    private final List<TreeMap<Long, LogView.Batch>> committed = new ArrayList<>();
    private final long[] committedEnd;
    private final List<TreeMap<Integer, Integer>> leadersSeen = new ArrayList<>();
    private final List<TreeMap<Integer, Integer>> leadersCommitted = new ArrayList<>();
    private final List<TreeMap<Long, LogView.Batch>> acked = new ArrayList<>();
    private final long[] ackedEnd;
    /** Per partition, the registration at the last controller offset seen: how each new leader was elected. */
    private final PartitionRegistration[] registrationSeen;
    /**
     * Per partition and broker, where that broker's replica stops counting as a view of the committed
     * log: the offset from which the partition lost its committed log to a last known leader, while the
     * replica's high watermark is still above it (it has not followed that leader down yet);
     * {@link Long#MAX_VALUE} otherwise.
     */
    private final long[][] staleFrom;
    private long controllerOffsetSeen;

    ReplicationInvariants(ReplicationSimulation sim) {
        this.sim = sim;
        int partitions = sim.settings.partitions();
        committedEnd = new long[partitions];
        ackedEnd = new long[partitions];
        registrationSeen = new PartitionRegistration[partitions];
        staleFrom = new long[partitions][sim.settings.brokers() + 1];
        for (int i = 0; i < partitions; i++) {
            Arrays.fill(staleFrom[i], Long.MAX_VALUE);
            committed.add(new TreeMap<>());
            leadersSeen.add(new TreeMap<>());
            leadersCommitted.add(new TreeMap<>());
            acked.add(new TreeMap<>());
        }
    }

    // ---- events ----

    /** A leader appended a producer's batch: it becomes the batch of its epoch at its offset. */
    void onLeaderAppend(SimBroker broker, Partition partition, int leaderEpochAtLookup, AppendResult appended, SimProducers.Write write) {
        int index = partition.topicPartition().partition();
        LogView view = broker.view(index);
        view.refresh();
        LogView.Batch batch = view.batchAt(appended.firstOffset());
        if (batch == null || batch.lastOffset() != appended.lastOffset() || !batch.values().equals(write.values())) {
            sim.violation("b" + broker.id + " appended " + write.values() + " at " + appended.firstOffset() + ".." + appended.lastOffset()
                    + " but its log holds " + batch);
        }
        if (!partition.leader() || partition.leaderEpoch() != batch.leaderEpoch()) {
            sim.violation("b" + broker.id + " appended " + batch + " to p" + index + " as leader, but it " + (partition.leader() ? "leads at epoch "
                    + partition.leaderEpoch() : "is not the leader (it follows " + ReplicationSimulation.brief(partition.registration()) + ")")
                    + "; the produce request found it leading at epoch " + leaderEpochAtLookup);
        }
        Written key = new Written(index, batch.leaderEpoch(), batch.baseOffset());
        LogView.Batch before = written.putIfAbsent(key, batch);
        if (before != null && !before.sameAs(batch)) {
            sim.violation("leader epoch " + batch.leaderEpoch() + " of p" + index + " wrote two batches at offset " + batch.baseOffset() + ": "
                    + before + " by " + writers.get(key) + ", then " + batch + " by " + broker);
        }
        writers.putIfAbsent(key, broker.toString());
    }

    /** A write was acknowledged: it must be below the leader's high watermark, hence committed. */
    void onAcknowledged(SimBroker broker, Partition partition, AppendResult appended, SimProducers.Write write) {
        int index = partition.topicPartition().partition();
        LogView view = broker.view(index);
        view.refresh();
        LogView.Batch batch = view.batchAt(appended.firstOffset());
        long highWatermark = partition.log().highWatermark();
        if (batch == null || !batch.values().equals(write.values()) || highWatermark <= appended.lastOffset()) {
            sim.violation("b" + broker.id + " acknowledged " + write.values() + " at " + appended.firstOffset() + " with high watermark "
                    + highWatermark + "; its log holds " + batch);
        }
        commit(index, view, highWatermark, broker);
        acked.get(index).put(batch.baseOffset(), batch);
        ackedEnd[index] = Math.max(ackedEnd[index], batch.lastOffset() + 1);
        for (SimBroker process : sim.liveProcesses()) {
            LogView other = process.view(index);
            if (other != null) {
                other.ackedVerifiedTo = Math.min(other.ackedVerifiedTo, batch.baseOffset());
            }
        }
        sim.trace("b" + broker.id + " acks " + batch + " (hw " + highWatermark + ")");
    }

    // ---- after every step ----

    void checkStep() {
        noteControllerLeaders();
        for (SimBroker process : sim.liveProcesses()) {
            for (Map.Entry<Integer, Partition> entry : process.partitions().entrySet()) {
                int index = entry.getKey();
                Partition partition = entry.getValue();
                LogView view = process.view(index);
                view.refresh();
                long exposed = exposedCommitted(process, index, partition.log().highWatermark());
                checkHighWatermark(process, index, view, exposed);
                checkProvenance(process, index, view);
                checkLeadership(process, index, partition);
                commit(index, view, exposed, process);
                checkCommitted(process, index, view, exposed);
                checkTransactions(process, index, view, partition.log());
            }
        }
        checkAcknowledged();
    }

    private void noteControllerLeaders() {
        for (long offset = controllerOffsetSeen + 1; offset <= sim.controller.offset(); offset++) {
            Optional<TopicMetadata> topic = sim.controller.imageAt(offset).topic(ReplicationSimulation.TOPIC);
            if (topic.isEmpty()) {
                continue;
            }
            for (int i = 0; i < topic.get().partitionCount(); i++) {
                PartitionRegistration registration = topic.get().partition(i);
                Integer before = leadersCommitted.get(i).putIfAbsent(registration.leaderEpoch(), registration.leader());
                if (before != null && before != registration.leader()) {
                    sim.violation("the controller gave leader epoch " + registration.leaderEpoch() + " of p" + i + " to " + before + " and then to "
                            + registration.leader());
                }
                PartitionRegistration previous = registrationSeen[i];
                if (previous != null && registration.hasLeader() && registration.leaderEpoch() != previous.leaderEpoch()
                        && !previous.isr().contains(registration.leader()) && !previous.elr().contains(registration.leader())
                        && previous.lastKnownElr().contains(registration.leader())) {
                    onLastKnownLeaderElected(i, registration);
                }
                registrationSeen[i] = registration;
            }
        }
        controllerOffsetSeen = sim.controller.offset();
    }

    /**
     * The controller elected the partition's last known leader, from outside the ISR and ELR, once both
     * were empty (Kafka 4: {@code PartitionChangeBuilder.canElectLastKnownLeader}, an election it counts as unclean;
     * a broker's unclean shutdown takes it out of the ISR and ELR but not out of {@code lastKnownElr}).
     * A replica that was only ever killed keeps what it wrote (the page cache survives), so it holds the
     * whole committed log, and without power losses nothing is forgiven. One whose machine lost power
     * (now, or in an earlier life it has not caught up since) holds only what it had flushed and a torn
     * part of the rest; every other copy is on a replica the controller does not trust (out of the ISR,
     * or back from a power loss itself), so the partition loses what this leader lost, as Kafka, which
     * acknowledges without fsync, does. The committed log and the acknowledged writes are cut where this
     * leader's log departs from them, and the other replicas' high watermarks above that point are stale
     * until they have followed it down.
     */
    private void onLastKnownLeaderElected(int index, PartitionRegistration registration) {
        SimBroker leader = sim.process(registration.leader());
        if (!sim.settings.powerLoss() || leader == null || leader.view(index) == null) {
            return;
        }
        LogView view = leader.view(index);
        view.refresh();
        long lostFrom = firstDeparture(index, view);
        if (lostFrom >= committedEnd[index]) {
            return;
        }
        TreeMap<Long, LogView.Batch> lostAcked = new TreeMap<>(acked.get(index).tailMap(lostFrom, true));
        forgetFrom(index, lostFrom, leader.id);
        sim.stats.powerLossRecoveries++;
        sim.stats.lostAcknowledged += lostAcked.size();
        sim.trace("b" + leader.id + " is elected last known leader of p" + index + " at epoch " + registration.leaderEpoch() + " with log end "
                + view.end() + ": committed data from " + lostFrom + " is lost, with acknowledged batches at " + lostAcked.keySet());
    }

    /** Cuts the committed log and the acknowledged writes at {@code lostFrom}; every replica but the leader's is stale above it. */
    private void forgetFrom(int index, long lostFrom, int leaderId) {
        committed.get(index).tailMap(lostFrom, true).clear();
        acked.get(index).tailMap(lostFrom, true).clear();
        committedEnd[index] = lostFrom;
        ackedEnd[index] = Math.min(ackedEnd[index], lostFrom);
        for (int id = 1; id < staleFrom[index].length; id++) {
            staleFrom[index][id] = id == leaderId ? Long.MAX_VALUE : lostFrom;
        }
        for (SimBroker process : sim.liveProcesses()) {
            LogView other = process.view(index);
            if (other != null) {
                other.maxHighWatermark = Math.min(other.maxHighWatermark, lostFrom);
                other.committedVerifiedTo = Math.min(other.committedVerifiedTo, lostFrom);
                other.ackedVerifiedTo = Math.min(other.ackedVerifiedTo, lostFrom);
            }
        }
    }

    /** The base offset of the first committed batch {@code view} does not hold, or the committed log's end. */
    private long firstDeparture(int index, LogView view) {
        for (LogView.Batch batch : committed.get(index).values()) {
            if (!batch.sameAs(view.batchAt(batch.baseOffset()))) {
                return batch.baseOffset();
            }
        }
        return committedEnd[index];
    }

    /**
     * How far {@code process}'s replica exposes the committed log: its high watermark, or less while it
     * still has one from before an unclean recovery lost data (see {@link #onLastKnownLeaderElected}).
     */
    private long exposedCommitted(SimBroker process, int index, long highWatermark) {
        if (highWatermark <= staleFrom[index][process.id]) {
            staleFrom[index][process.id] = Long.MAX_VALUE;
            return highWatermark;
        }
        return staleFrom[index][process.id];
    }

    private void checkHighWatermark(SimBroker process, int index, LogView view, long highWatermark) {
        if (highWatermark < view.maxHighWatermark) {
            sim.violation("the high watermark of p" + index + " on " + process + " went back from " + view.maxHighWatermark + " to " + highWatermark
                    + " (log end " + view.log.logEndOffset() + ")");
        }
        view.maxHighWatermark = highWatermark;
    }

    private void checkProvenance(SimBroker process, int index, LogView view) {
        for (LogView.Batch batch : view.batches().tailMap(view.provenanceVerifiedTo, true).values()) {
            Written key = new Written(index, batch.leaderEpoch(), batch.baseOffset());
            LogView.Batch original = written.get(key);
            if (original == null) {
                sim.violation("p" + index + " on " + process + " holds " + batch + ", which no leader of epoch " + batch.leaderEpoch()
                        + " wrote at that offset");
            } else if (!original.sameAs(batch)) {
                sim.violation("p" + index + " on " + process + " holds " + batch + " where leader epoch " + batch.leaderEpoch() + " wrote " + original
                        + " (by " + writers.get(key) + ")");
            }
        }
        view.provenanceVerifiedTo = view.end();
    }

    private void checkLeadership(SimBroker process, int index, Partition partition) {
        if (!partition.leader()) {
            return;
        }
        int epoch = partition.leaderEpoch();
        Integer before = leadersSeen.get(index).putIfAbsent(epoch, process.id);
        if (before != null && before != process.id) {
            sim.violation("two leaders of p" + index + " at leader epoch " + epoch + ": b" + before + " and b" + process.id);
        }
        Integer committedLeader = leadersCommitted.get(index).get(epoch);
        if (committedLeader == null || committedLeader != process.id) {
            sim.violation(process + " leads p" + index + " at epoch " + epoch + ", which the controller gave to " + committedLeader);
        }
    }

    /** Extends the committed log with what {@code view} exposes below its high watermark. */
    private void commit(int index, LogView view, long highWatermark, SimBroker process) {
        if (highWatermark <= committedEnd[index]) {
            return;
        }
        TreeMap<Long, LogView.Batch> log = committed.get(index);
        Map.Entry<Long, LogView.Batch> floor = view.batches().floorEntry(committedEnd[index]);
        long from = floor != null && floor.getValue().lastOffset() >= committedEnd[index] ? floor.getKey() : committedEnd[index];
        for (LogView.Batch batch : view.batches().subMap(from, true, highWatermark, false).values()) {
            LogView.Batch before = log.putIfAbsent(batch.baseOffset(), batch);
            if (before != null && !before.sameAs(batch)) {
                sim.violation("committed data of p" + index + " changed at offset " + batch.baseOffset() + ": " + before + " was exposed, now "
                        + process + " exposes " + batch + " below its high watermark " + highWatermark);
            }
            committedEnd[index] = Math.max(committedEnd[index], batch.lastOffset() + 1);
        }
    }

    private void checkCommitted(SimBroker process, int index, LogView view, long highWatermark) {
        long bound = Math.min(highWatermark, committedEnd[index]);
        TreeMap<Long, LogView.Batch> log = committed.get(index);
        for (LogView.Batch batch : view.batches().subMap(view.committedVerifiedTo, true, bound, false).values()) {
            LogView.Batch expected = log.get(batch.baseOffset());
            if (!batch.sameAs(expected)) {
                sim.violation("p" + index + " on " + process + " holds " + batch + " below its high watermark " + highWatermark
                        + " where the committed log has " + (expected != null ? expected : log.floorEntry(batch.baseOffset())));
            }
            view.committedVerifiedTo = batch.lastOffset() + 1;
        }
    }

    /**
     * The last stable offset and the aborted transactions below the high watermark, against a model
     * walking the replica's batches: a transaction opens at its producer's first transactional batch and
     * closes at its marker; it is unstable while open or while its marker is not below the high watermark.
     * A closed transaction whose marker is above the high watermark may be forgotten by a restart, as in
     * Kafka (producer snapshots keep open transactions, not those waiting for replication), so the last
     * stable offset must lie between the model's and the one the open transactions alone give.
     */
    private void checkTransactions(SimBroker process, int index, LogView view, PartitionLog log) {
        long highWatermark = log.highWatermark();
        Map<Long, Long> open = new HashMap<>();
        long firstUnreplicated = Long.MAX_VALUE;
        List<String> expectedAborted = new ArrayList<>();
        for (LogView.Batch batch : view.batches().values()) {
            if (batch.kind() == LogView.Kind.TRANSACTIONAL) {
                open.putIfAbsent(batch.producerId(), batch.baseOffset());
            } else if (batch.kind() != LogView.Kind.PLAIN) {
                Long first = open.remove(batch.producerId());
                if (first != null && batch.baseOffset() >= highWatermark) {
                    firstUnreplicated = Math.min(firstUnreplicated, first);
                } else if (first != null && batch.kind() == LogView.Kind.ABORT) {
                    expectedAborted.add(batch.producerId() + "@" + first + ".." + batch.baseOffset());
                }
            }
        }
        long firstOpen = open.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        long lowest = stableOffset(Math.min(firstOpen, firstUnreplicated), highWatermark, log.logStartOffset());
        long highest = stableOffset(firstOpen, highWatermark, log.logStartOffset());
        if (log.lastStableOffset() < lowest || log.lastStableOffset() > highest) {
            sim.violation("p" + index + " on " + process + " has last stable offset " + log.lastStableOffset() + " where its log and high watermark "
                    + highWatermark + " give " + lowest + (highest != lowest ? " (or " + highest + " once restarted)" : "") + " (open " + open + ")");
        }
        List<String> aborted = log.abortedTransactions(log.logStartOffset(), highWatermark).stream().filter(txn -> txn.lastOffset() < highWatermark)
                .map(txn -> txn.producerId() + "@" + txn.firstOffset() + ".." + txn.lastOffset()).toList();
        if (!aborted.equals(expectedAborted)) {
            sim.violation("p" + index + " on " + process + " lists aborted transactions " + aborted + " below its high watermark " + highWatermark
                    + " where its log has " + expectedAborted);
        }
    }

    private static long stableOffset(long firstUnstable, long highWatermark, long logStartOffset) {
        return firstUnstable < highWatermark ? Math.max(firstUnstable, logStartOffset) : highWatermark;
    }

    /** Every acknowledged write on the current leader and on every replica the controller counts in the ISR. */
    private void checkAcknowledged() {
        MetadataImage image = sim.controller.image();
        Optional<TopicMetadata> topic = image.topic(ReplicationSimulation.TOPIC);
        if (topic.isEmpty()) {
            return;
        }
        for (int index = 0; index < topic.get().partitionCount(); index++) {
            PartitionRegistration registration = topic.get().partition(index);
            for (SimBroker process : sim.liveProcesses()) {
                Partition partition = process.partitions().get(index);
                if (partition == null) {
                    continue;
                }
                boolean currentLeader = registration.leader() == process.id && partition.leader() && partition.leaderEpoch() == registration.leaderEpoch();
                BrokerRegistration broker = image.brokers().get(process.id);
                boolean inIsr = registration.isr().contains(process.id) && broker != null && broker.epoch() == process.registeredEpoch;
                if (currentLeader || inIsr) {
                    checkAcknowledgedOn(process, index, currentLeader ? "the leader" : "an ISR member " + ReplicationSimulation.brief(registration));
                }
            }
        }
    }

    private void checkAcknowledgedOn(SimBroker process, int index, String role) {
        LogView view = process.view(index);
        for (LogView.Batch batch : acked.get(index).tailMap(view.ackedVerifiedTo, true).values()) {
            LogView.Batch held = view.batchAt(batch.baseOffset());
            if (!batch.sameAs(held)) {
                sim.violation("acknowledged " + batch + " of p" + index + " is not on " + process + ", " + role + ": it holds "
                        + (held != null ? held : view.batchHolding(batch.baseOffset())) + " (log end " + view.end() + ", high watermark "
                        + view.log.highWatermark() + ")");
            }
        }
        view.ackedVerifiedTo = ackedEnd[index];
    }

    // ---- the end ----

    /** Whether every replica is alive, caught up with the metadata, in the ISR, and level with its leader (log end and high watermark). */
    boolean quiet() {
        MetadataImage image = sim.controller.image();
        Optional<TopicMetadata> topic = image.topic(ReplicationSimulation.TOPIC);
        if (topic.isEmpty()) {
            return false;
        }
        for (int index = 0; index < topic.get().partitionCount(); index++) {
            PartitionRegistration registration = topic.get().partition(index);
            if (!registration.hasLeader() || !registration.isr().containsAll(registration.replicas())) {
                return false;
            }
            SimBroker leader = sim.process(registration.leader());
            if (leader == null || leader.paused() || leader.image().offset() != image.offset() || leader.waitingProduces() > 0) {
                return false;
            }
            Partition leading = leader.partitions().get(index);
            long end = leading.log().logEndOffset();
            if (!leading.leader() || leading.log().highWatermark() != end) {
                return false;
            }
            for (int replica : registration.replicas()) {
                SimBroker process = sim.process(replica);
                if (process == null || process.paused() || process.image().offset() != image.offset()) {
                    return false;
                }
                Partition partition = process.partitions().get(index);
                if (partition == null || partition.log().logEndOffset() != end || partition.log().highWatermark() != end) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The state of every partition, for a run that does not settle. */
    String describe() {
        StringBuilder out = new StringBuilder(sim.partitionsNow());
        sim.controller.image().brokers().values().stream().sorted(java.util.Comparator.comparingInt(BrokerRegistration::id))
                .forEach(b -> out.append("\n    controller: b").append(b.id()).append(" e").append(b.epoch()).append(b.fenced() ? " fenced" : "")
                        .append(b.inControlledShutdown() ? " in controlled shutdown" : ""));
        for (SimBroker process : sim.liveProcesses()) {
            out.append("\n    ").append(process).append(process.paused() ? " (paused)" : "").append(" metadata ").append(process.image().offset())
                    .append("/").append(sim.controller.offset()).append(" registered e").append(process.registeredEpoch);
            for (Partition partition : process.partitions().values()) {
                out.append("\n      ").append(partition).append(" end ").append(partition.log().logEndOffset()).append(" hw ")
                        .append(partition.log().highWatermark()).append(" latest epoch ").append(partition.log().latestEpoch());
            }
        }
        return out.toString();
    }

    /** After settling: every replica identical, batch by batch, and every acknowledged write on them. */
    void checkEnd() {
        TopicMetadata topic = sim.controller.image().topic(ReplicationSimulation.TOPIC).orElseThrow();
        for (int index = 0; index < topic.partitionCount(); index++) {
            PartitionRegistration registration = topic.partition(index);
            LogView leader = sim.process(registration.leader()).view(index);
            leader.refresh();
            for (int replica : registration.replicas()) {
                LogView view = sim.process(replica).view(index);
                view.refresh();
                if (!view.batches().keySet().equals(leader.batches().keySet())) {
                    sim.violation("after healing, p" + index + " on b" + replica + " has batches at " + view.batches().keySet() + ", its leader b"
                            + registration.leader() + " at " + leader.batches().keySet());
                }
                for (LogView.Batch batch : leader.batches().values()) {
                    if (!batch.sameAs(view.batchAt(batch.baseOffset()))) {
                        sim.violation("after healing, p" + index + " on b" + replica + " has " + view.batchAt(batch.baseOffset()) + " where its leader has "
                                + batch);
                    }
                }
            }
            for (LogView.Batch batch : acked.get(index).values()) {
                if (!batch.sameAs(leader.batchAt(batch.baseOffset()))) {
                    sim.violation("after healing, acknowledged " + batch + " of p" + index + " is lost: the log has "
                            + leader.batchHolding(batch.baseOffset()));
                }
            }
            sim.stats.leaderEpochs += leadersCommitted.get(index).size();
        }
    }
}
