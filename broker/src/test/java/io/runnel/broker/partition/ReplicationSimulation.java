package io.runnel.broker.partition;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand;
import io.runnel.storage.log.AppendResult;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.log.TimestampPolicy;
import io.runnel.storage.segment.LogSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;

/**
 * One seeded run of the replication simulation: N brokers with real logs and partitions (see
 * {@link SimBroker}), one real controller ({@link SimController}), producers with acks=all, a network
 * that delays, drops and reorders ({@link SimNetwork}), and faults: kill -9 and restart (the files keep
 * what was written, as the page cache does, and the controller fences the killed process at once, as
 * its dead broker detector does; with {@code powerLoss}, the unflushed tail may be lost, and the
 * controller waits for the session timeout),
 * clean restarts after a controlled shutdown, pauses past the session timeout, network partitions (a
 * broker cut off from all, or from the controller only; two sides; one link), controller failovers and
 * preferred leader elections. At each step the clock moves, what is due runs, the controller's session
 * timer fences, a fault or a write may start, and {@link ReplicationInvariants} checks every replica.
 * At the end every fault heals, the run goes on until the cluster is quiet, and every replica must be
 * identical and hold every acknowledged write. Every choice comes from the seed, over ordered
 * collections, so a seed replays exactly. Not thread-safe.
 */
final class ReplicationSimulation {

    static final String TOPIC = "sim";
    /** How soon the active controller fences a killed process: the close, then a refused reconnect 50 ms later. */
    private static final long DEATH_NOTICED_AFTER_MS = 55;

    /** What happened in runs, summed over runs. */
    static final class Stats {
        long seeds;
        long steps;
        long simulatedMs;
        final Map<String, Integer> faults = new TreeMap<>();
        long writes;
        long appended;
        long acknowledged;
        long acknowledgedRecords;
        long produceNotLeader;
        final Map<String, Integer> produceRefused = new TreeMap<>();
        final Map<String, Integer> produceFailed = new TreeMap<>();
        long fetches;
        long fetchApplyErrors;
        long truncations;
        long isrProposals;
        long isrCommitted;
        long isrRefused;
        long isrTimeouts;
        long leaderEpochs;
        long messages;
        long dropped;
        /** Killed processes the controller fenced before their session expired. */
        long fencedAtDeath;
        /** Last known leaders elected without committed data a power loss had cut from them, and the acknowledged batches that went with it. */
        long powerLossRecoveries;
        long lostAcknowledged;
        final List<String> violations = new ArrayList<>();

        int faultCount() {
            return faults.values().stream().mapToInt(Integer::intValue).sum();
        }

        String summary() {
            return String.format("%d seeds, %d steps, %d s simulated, %d faults %s%n  writes %d, appended %d, acknowledged %d (%d records), "
                            + "not leader %d, refused %s, failed %s%n  fetches %d (%d not applied), truncations %d, leader epochs %d, "
                            + "ISR proposals %d (committed %d, refused %d, timed out %d)%n  killed brokers fenced at once %d, messages %d (%d dropped), "
                            + "last known leaders without committed data (power loss) %d, acknowledged batches lost with it %d, violations %d",
                    seeds, steps, simulatedMs / 1000, faultCount(), faults, writes, appended, acknowledged, acknowledgedRecords, produceNotLeader,
                    produceRefused, produceFailed, fetches, fetchApplyErrors, truncations, leaderEpochs, isrProposals, isrCommitted, isrRefused,
                    isrTimeouts, fencedAtDeath, messages, dropped, powerLossRecoveries, lostAcknowledged, violations.size());
        }
    }

    /** A run's settings, drawn from its seed: the cluster's shape, Kafka's timeouts, rates. */
    record Settings(int brokers, int partitions, int replicationFactor, int minInsyncReplicas, long sessionTimeoutMs, long heartbeatIntervalMs,
                    long replicaLagTimeMaxMs, long requestTimeoutMs, long socketTimeoutMs, long fetchMaxWaitMs, long fetchBackoffMs, int fetchMaxBytes,
                    long produceTimeoutMs, long checkpointIntervalMs, long flushCheckIntervalMs, int[] metadataIntervalsMs, boolean handlerInterleaving,
                    boolean powerLoss, double writeRate, double faultRate, int maxStepMs, int maxConcurrentFaults) {

        static Settings draw(Random random, boolean powerLoss) {
            int roll = random.nextInt(20);
            int brokers = roll < 12 ? 3 : roll < 17 ? 4 : 5;
            int replicationFactor = brokers == 3 || random.nextInt(3) > 0 ? 3 : brokers;
            int minIsr = random.nextInt(5) == 0 ? 1 : Math.min(2, replicationFactor);
            long session = 2_000 + random.nextInt(7_001);
            int[] metadataIntervals = new int[brokers + 1];
            for (int id = 1; id <= brokers; id++) {
                metadataIntervals[id] = 5 + random.nextInt(random.nextInt(4) == 0 ? 2_000 : 300);
            }
            return new Settings(brokers, 1 + random.nextInt(3), replicationFactor, minIsr, session, Math.max(100, session / (3 + random.nextInt(3))),
                    1_000 + random.nextInt(random.nextBoolean() ? 5_000 : 30_000), 1_000 + random.nextInt(4_001), 1_000 + random.nextInt(4_001),
                    20 + random.nextInt(481), 20 + random.nextInt(981), random.nextBoolean() ? 1 << 20 : 200 + random.nextInt(2_000),
                    1_000 + random.nextInt(29_001), 200 + random.nextInt(5_000), 200 + random.nextInt(3_000), metadataIntervals,
                    random.nextInt(4) == 0, powerLoss, 0.2 + random.nextDouble() * 0.6, 0.005 + random.nextDouble() * 0.015, 5 + random.nextInt(45),
                    1 + random.nextInt(2));
        }

        long isrCheckIntervalMs() {
            return Math.max(1, replicaLagTimeMaxMs / 2);
        }

        int metadataIntervalMs(int brokerId) {
            return metadataIntervalsMs[brokerId];
        }

        @Override
        public String toString() {
            return brokers + " brokers, " + partitions + " partition(s) x" + replicationFactor + ", min.insync.replicas " + minInsyncReplicas
                    + ", session " + sessionTimeoutMs + " ms, heartbeat " + heartbeatIntervalMs + " ms, replica.lag.time.max.ms " + replicaLagTimeMaxMs
                    + ", request timeout " + requestTimeoutMs + " ms, fetch wait " + fetchMaxWaitMs + " ms, backoff " + fetchBackoffMs
                    + " ms, produce timeout " + produceTimeoutMs + " ms" + (handlerInterleaving ? ", handler interleaving" : "")
                    + (powerLoss ? ", power loss" : "");
        }
    }

    /** A broker's machine: its directory and processes over time. */
    private static final class Machine {
        final int id;
        Path dir;
        SimBroker process;
        int incarnations;
        boolean lostUnflushed;
        long downUntilMs = -1;

        Machine(int id) {
            this.id = id;
        }
    }

    private static final int RECENT_TRACE = 60;

    final long seed;
    final Random random;
    final Settings settings;
    final SimScheduler scheduler = new SimScheduler();
    final SimNetwork network;
    final SimController controller;
    final LogConfig logConfig;
    final Uuid[] directoryIds;
    final long[] persistedMetadataOffset;
    final Stats stats;
    private final Path root;
    private final Machine[] machines;
    private final SimProducers producers = new SimProducers();
    /** The markers of transactions a leader appended, to send (again, after a refusal). */
    private final List<SimProducers.Write> markersToSend = new ArrayList<>();
    private final ReplicationInvariants invariants;
    private final Deque<String> recent = new ArrayDeque<>();
    private final List<String> trace = new ArrayList<>();
    private final boolean keepTrace;
    private int activeFaults;
    private boolean healing;
    private int step;
    private int dirCounter;

    ReplicationSimulation(long seed, Path root, Stats stats, boolean powerLoss, boolean keepTrace) {
        this.seed = seed;
        this.random = new Random(seed);
        this.root = root;
        this.stats = stats;
        this.keepTrace = keepTrace;
        this.settings = Settings.draw(random, powerLoss);
        this.network = new SimNetwork(scheduler, random, SimNetwork.Settings.draw(random));
        this.controller = new SimController(scheduler, random, settings.sessionTimeoutMs());
        this.logConfig = drawLogConfig(random);
        this.directoryIds = new Uuid[settings.brokers() + 1];
        this.persistedMetadataOffset = new long[settings.brokers() + 1];
        this.machines = new Machine[settings.brokers() + 1];
        for (int id = 1; id <= settings.brokers(); id++) {
            directoryIds[id] = new Uuid(random.nextLong(), random.nextLong());
            machines[id] = new Machine(id);
        }
        this.invariants = new ReplicationInvariants(this);
    }

    /** Small segments and indexes, so rolls, index rebuilds and truncations across segments happen; sometimes frequent fsyncs. */
    private static LogConfig drawLogConfig(Random random) {
        long segmentBytes = 1_024 + random.nextInt(16_000);
        long segmentMs = random.nextInt(3) == 0 ? 2_000 + random.nextInt(20_000) : 7L * 24 * 3600 * 1000;
        long flushMessages = random.nextInt(3) == 0 ? 1 + random.nextInt(30) : Long.MAX_VALUE;
        long flushMs = random.nextInt(3) == 0 ? 500 + random.nextInt(5_000) : Long.MAX_VALUE;
        // deletions of cut segments wait longer than any run: files on disk depend on nothing but the seed
        return new LogConfig(segmentBytes, segmentMs, Long.MAX_VALUE / 4, -1L, 64 + random.nextInt(2_000), 1_200 * (1 + random.nextInt(4)),
                1_048_588, TimestampPolicy.DEFAULT, flushMessages, flushMs, 3_600_000L, 24L * 3600 * 1000);
    }

    /** Runs {@code steps} steps, heals, runs until quiet and checks the end state. */
    void run(int steps) {
        try {
            start();
            for (step = 1; step <= steps; step++) {
                oneStep(true);
            }
            heal();
            settle();
            invariants.checkEnd();
        } finally {
            stats.seeds++;
            stats.messages += network.sent;
            stats.dropped += network.dropped;
            stats.simulatedMs += scheduler.nowMs();
            close();
        }
    }

    private void start() {
        trace("settings: " + settings + "; segment.bytes " + logConfig.segmentBytes() + ", flush.messages " + logConfig.flushIntervalMessages());
        for (int id = 1; id <= settings.brokers(); id++) {
            machines[id].dir = newDir(id);
            restart(machines[id]);
        }
        // the brokers register and are unfenced, then an admin creates the topic
        for (int i = 0; i < 2_400 && !allActive(); i++) {
            scheduler.runUntil(scheduler.nowMs() + 25);
            fence();
        }
        if (!allActive()) {
            violation("brokers were not all unfenced within 60 s of starting");
        }
        SimController.Outcome created = controller.handle(new ControllerCommand.CreateTopic(TOPIC, settings.partitions(), settings.replicationFactor(),
                Map.of(), Map.of("min.insync.replicas", String.valueOf(settings.minInsyncReplicas())), false));
        if (created.error() != null) {
            violation("cannot create the topic: " + created.error());
        }
        trace("created " + TOPIC + ": " + controller.image().topic(TOPIC).orElseThrow().partitions());
    }

    private boolean allActive() {
        for (int id = 1; id <= settings.brokers(); id++) {
            BrokerRegistration broker = controller.image().brokers().get(id);
            if (broker == null || !broker.isActive()) {
                return false;
            }
        }
        return true;
    }

    private void oneStep(boolean chaos) {
        long until = scheduler.nowMs() + 1 + random.nextInt(settings.maxStepMs());
        scheduler.runUntil(until);
        fence();
        if (chaos && activeFaults < settings.maxConcurrentFaults() && random.nextDouble() < settings.faultRate()) {
            fault();
        }
        if (chaos && random.nextDouble() < settings.writeRate()) {
            write();
        }
        stats.steps++;
        invariants.checkStep();
    }

    private void fence() {
        List<MetadataRecord> records = controller.fenceExpiredBrokers();
        if (!records.isEmpty()) {
            trace("controller fences " + records.stream().filter(r -> r instanceof MetadataRecord.BrokerRegistrationChangeRecord)
                    .map(r -> "b" + ((MetadataRecord.BrokerRegistrationChangeRecord) r).brokerId()).toList() + ": " + partitionsNow());
        }
    }

    // ---- writes ----

    private void write() {
        int partition = random.nextInt(settings.partitions());
        // a producer's metadata: the controller's, or some broker's (maybe stale)
        MetadataImage view = controller.image();
        List<SimBroker> live = liveProcesses();
        if (random.nextBoolean() && !live.isEmpty()) {
            view = live.get(random.nextInt(live.size())).image();
        }
        Optional<TopicMetadata> topic = view.topic(TOPIC);
        if (topic.isEmpty() || !topic.get().partition(partition).hasLeader()) {
            return;
        }
        int leader = topic.get().partition(partition).leader();
        SimProducers.Write write = nextWrite(partition);
        stats.writes++;
        network.send(SimNetwork.CLIENTS, leader, () -> deliver(leader, broker -> broker.serveProduce(write)));
    }

    /**
     * A plain write, a transaction of a new producer, or (when one waits on this partition) the
     * coordinator's marker of a transaction a leader appended.
     */
    private SimProducers.Write nextWrite(int partition) {
        int roll = random.nextInt(10);
        long now = scheduler.clock().millis();
        if (roll < 2) {
            for (int i = 0; i < markersToSend.size(); i++) {
                if (markersToSend.get(i).partition() == partition) {
                    return markersToSend.remove(i);
                }
            }
        }
        return roll < 4 ? producers.transactional(partition, 1 + random.nextInt(5), now) : producers.write(partition, 1 + random.nextInt(5), now);
    }

    /** A marker did not reach a leader that appended it: the coordinator sends it again later. */
    void onMarkerRefused(SimProducers.Write marker) {
        markersToSend.add(marker);
    }

    /** Runs {@code action} on broker {@code id}'s live process, if it has one (a message arriving). */
    void deliver(int id, Consumer<SimBroker> action) {
        SimBroker process = machines[id].process;
        if (process != null) {
            process.run(() -> action.accept(process));
        }
    }

    void onLeaderAppend(SimBroker broker, Partition partition, int leaderEpoch, AppendResult appended, SimProducers.Write write) {
        stats.appended++;
        if (write.transactional()) {
            markersToSend.add(SimProducers.marker(write, random.nextBoolean(), scheduler.clock().millis()));
        }
        invariants.onLeaderAppend(broker, partition, leaderEpoch, appended, write);
    }

    void onAcknowledged(SimBroker broker, Partition partition, AppendResult appended, SimProducers.Write write) {
        stats.acknowledged++;
        stats.acknowledgedRecords += write.values().size();
        invariants.onAcknowledged(broker, partition, appended, write);
    }

    // ---- faults ----

    private void fault() {
        int roll = random.nextInt(100);
        List<SimBroker> live = liveProcesses();
        if (live.isEmpty()) {
            return;
        }
        SimBroker target = random.nextBoolean() ? leaderOfSomePartition(live) : live.get(random.nextInt(live.size()));
        if (roll < 25) {
            kill(target, settings.powerLoss() && random.nextBoolean());
        } else if (roll < 35) {
            controlledShutdown(target);
        } else if (roll < 55) {
            pause(target);
        } else if (roll < 80) {
            partitionNetwork(target);
        } else if (roll < 90) {
            count("controller-failover");
            controller.failover();
            trace("controller fails over");
        } else {
            count("elect-preferred");
            TopicMetadata topic = controller.image().topic(TOPIC).orElseThrow();
            List<ControllerCommand.PartitionId> all = IntStream.range(0, topic.partitionCount())
                    .mapToObj(i -> new ControllerCommand.PartitionId(topic.id(), i)).toList();
            controller.handle(new ControllerCommand.ElectLeaders(false, all));
            trace("preferred leader election: " + partitionsNow());
        }
    }

    private SimBroker leaderOfSomePartition(List<SimBroker> live) {
        int partition = random.nextInt(settings.partitions());
        int leader = controller.image().topic(TOPIC).map(t -> t.partition(partition).leader()).orElse(-1);
        return live.stream().filter(b -> b.id == leader).findFirst().orElse(live.get(random.nextInt(live.size())));
    }

    /** kill -9: the process is gone; its files keep what it wrote (page cache), or with a power loss only what was flushed, torn anywhere after. */
    private void kill(SimBroker process, boolean powerLoss) {
        count(powerLoss ? "power-loss" : "kill");
        Machine machine = machines[process.id];
        if (!powerLoss && process.registeredEpoch >= 0) {
            noticeDeath(process.id, process.registeredEpoch);
        }
        process.die();
        Path next = newDir(process.id);
        copyFiles(process, next, powerLoss);
        closeQuietly(process);
        deleteTree(process.dir);
        machine.dir = next;
        machine.process = null;
        machine.lostUnflushed = powerLoss;
        down(machine, random.nextInt((int) (2 * settings.sessionTimeoutMs())));
        trace("b" + process.id + (powerLoss ? " loses power" : " killed") + ", back at " + machine.downUntilMs);
    }

    /**
     * The controller's watch on the killed process's listener hears its sockets close and is refused
     * on reconnecting ({@code DeadBrokerDetector}), so it fences that epoch at once; a machine that
     * loses power sends nothing, and waits for the session timeout.
     */
    private void noticeDeath(int brokerId, long brokerEpoch) {
        scheduler.after(DEATH_NOTICED_AFTER_MS, () -> {
            List<MetadataRecord> records = controller.fenceDeadBroker(brokerId, brokerEpoch);
            if (!records.isEmpty()) {
                stats.fencedAtDeath++;
                trace("controller fences dead b" + brokerId + ": " + partitionsNow());
            }
        });
    }

    private void controlledShutdown(SimBroker process) {
        if (process.wantShutDown || process.registeredEpoch < 0) {
            return;
        }
        count("controlled-shutdown");
        activeFaults++;
        process.wantShutDown = true;
        trace("b" + process.id + " asks to shut down");
        // a shutdown that does not complete in time is a kill, as systemd would do
        scheduler.after(3 * settings.sessionTimeoutMs(), () -> {
            if (process.alive && process.wantShutDown) {
                activeFaults--;
                process.wantShutDown = false;
                kill(process, false);
            }
        });
    }

    /** The controller told {@code process} it may go: it closes its logs cleanly and comes back later. */
    void shutDownCleanly(SimBroker process) {
        if (!process.alive) {
            return;
        }
        activeFaults--;
        process.die();
        process.logManager.close();
        Machine machine = machines[process.id];
        machine.process = null;
        machine.lostUnflushed = false;
        down(machine, random.nextInt((int) settings.sessionTimeoutMs()));
        trace("b" + process.id + " shut down cleanly, back at " + machine.downUntilMs);
    }

    private void down(Machine machine, long forMs) {
        activeFaults++;
        machine.downUntilMs = scheduler.nowMs() + (healing ? 0 : forMs);
        scheduler.at(machine.downUntilMs, () -> {
            if (machine.process == null) {
                activeFaults--;
                restart(machine);
            }
        });
    }

    private void restart(Machine machine) {
        try {
            SimBroker process = new SimBroker(this, machine.id, ++machine.incarnations, machine.dir, machine.lostUnflushed);
            machine.process = process;
            process.start(controller.imageAt(persistedMetadataOffset[machine.id]));
            if (machine.incarnations > 1) {
                trace("b" + machine.id + " restarts (#" + machine.incarnations + ") from metadata offset " + persistedMetadataOffset[machine.id]
                        + ": " + process.partitions().values().stream().map(p -> "p" + p.topicPartition().partition() + " end "
                        + p.log().logEndOffset() + " hw " + p.log().highWatermark()).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pause(SimBroker process) {
        if (process.paused()) {
            return;
        }
        count("pause");
        activeFaults++;
        long forMs = settings.sessionTimeoutMs() / 4 + random.nextInt((int) (2 * settings.sessionTimeoutMs()));
        process.pausedUntilMs = scheduler.nowMs() + forMs;
        trace("b" + process.id + " paused for " + forMs + " ms");
        scheduler.at(process.pausedUntilMs, () -> activeFaults--);
    }

    private void partitionNetwork(SimBroker target) {
        List<int[]> links = new ArrayList<>();
        int kind = random.nextInt(5);
        String what;
        if (kind == 0) {
            what = "b" + target.id + " cut off from everyone";
            for (int other = SimNetwork.CLIENTS; other <= settings.brokers(); other++) {
                links.add(new int[] {target.id, other});
            }
        } else if (kind == 1) {
            what = "b" + target.id + " cut off from the controller";
            links.add(new int[] {target.id, SimNetwork.CONTROLLER});
        } else if (kind == 2) {
            List<Integer> side = new ArrayList<>();
            for (int id = 0; id <= settings.brokers(); id++) {
                if (random.nextBoolean()) {
                    side.add(id);
                }
            }
            what = "split " + side + " from the rest";
            for (int a : side) {
                for (int b = 0; b <= settings.brokers(); b++) {
                    if (!side.contains(b)) {
                        links.add(new int[] {a, b});
                    }
                }
            }
        } else if (kind == 3) {
            int other = 1 + random.nextInt(settings.brokers());
            what = "link b" + target.id + " - b" + other + " cut";
            links.add(new int[] {target.id, other});
        } else {
            // a (leader) broker and some others lose the controller and the rest: it leads on as a zombie, with whoever stayed with it
            List<Integer> side = new ArrayList<>(List.of(target.id));
            for (int id = 1; id <= settings.brokers(); id++) {
                if (id != target.id && random.nextBoolean()) {
                    side.add(id);
                }
            }
            what = "split " + side + " from the controller and the rest";
            for (int a : side) {
                for (int b = SimNetwork.CONTROLLER; b <= settings.brokers(); b++) {
                    if (!side.contains(b)) {
                        links.add(new int[] {a, b});
                    }
                }
            }
        }
        count("partition");
        activeFaults++;
        links.forEach(link -> network.cut(link[0], link[1]));
        long forMs = 200 + random.nextInt((int) (2 * settings.sessionTimeoutMs()));
        trace("network: " + what + " for " + forMs + " ms");
        scheduler.after(forMs, () -> {
            activeFaults--;
            links.forEach(link -> network.heal(link[0], link[1]));
        });
    }

    private void count(String fault) {
        stats.faults.merge(fault, 1, Integer::sum);
    }

    // ---- the end ----

    private void heal() {
        healing = true;
        trace("heal: network calm, paused brokers resume, stopped brokers restart");
        network.calm();
        for (int id = 1; id <= settings.brokers(); id++) {
            Machine machine = machines[id];
            if (machine.process != null) {
                machine.process.pausedUntilMs = Math.min(machine.process.pausedUntilMs, scheduler.nowMs());
                machine.process.wantShutDown = false;
            } else {
                scheduler.after(0, () -> {
                    if (machine.process == null) {
                        restart(machine);
                    }
                });
            }
        }
    }

    /** Runs without faults or writes until every replica is alive, in the ISR and level with its leader, or fails. */
    private void settle() {
        long budget = 120_000 + 10 * settings.sessionTimeoutMs() + 4 * settings.replicaLagTimeMaxMs();
        long deadline = scheduler.nowMs() + budget;
        while (!invariants.quiet()) {
            if (scheduler.nowMs() > deadline) {
                violation("the cluster did not settle within " + budget + " ms of healing: " + invariants.describe());
            }
            oneStep(false);
        }
        trace("quiet at " + scheduler.nowMs() + ": " + partitionsNow());
    }

    // ---- helpers ----

    /** What happened, line by line (kept only if asked for), for the replay check. */
    List<String> trace() {
        return trace;
    }

    List<SimBroker> liveProcesses() {
        List<SimBroker> live = new ArrayList<>();
        for (int id = 1; id <= settings.brokers(); id++) {
            if (machines[id].process != null) {
                live.add(machines[id].process);
            }
        }
        return live;
    }

    SimBroker process(int id) {
        return machines[id].process;
    }

    String partitionsNow() {
        return controller.image().topic(TOPIC).map(t -> t.partitions().stream().map(ReplicationSimulation::brief).toList().toString()).orElse("[]");
    }

    static String brief(PartitionRegistration p) {
        return "leader " + p.leader() + " e" + p.leaderEpoch() + " isr " + p.isr() + " pe" + p.partitionEpoch();
    }

    void traceIsrOutcome(int brokerId, SimController.Outcome outcome) {
        if (outcome.error() != null) {
            stats.isrRefused++;
            trace("controller refuses AlterPartition of b" + brokerId + ": " + outcome.error().getClass().getSimpleName());
            return;
        }
        for (Object result : (List<?>) outcome.reply()) {
            ControllerCommand.IsrChangeResult change = (ControllerCommand.IsrChangeResult) result;
            if (change.errorCode() == 0) {
                stats.isrCommitted++;
            } else {
                stats.isrRefused++;
            }
            trace("controller answers b" + brokerId + " p" + change.partition() + ": "
                    + org.apache.kafka.common.protocol.Errors.forCode(change.errorCode())
                    + (change.registration() == null ? "" : " " + brief(change.registration())) + " at offset " + outcome.offset());
        }
    }

    void trace(String line) {
        String stamped = "t=" + scheduler.nowMs() + " " + line;
        if (keepTrace) {
            trace.add(stamped);
        }
        recent.addLast(stamped);
        if (recent.size() > RECENT_TRACE) {
            recent.removeFirst();
        }
    }

    /** Fails the run: the seed, what broke, the last events and how to replay it. */
    void violation(String what) {
        throw new AssertionError("seed " + seed + " step " + step + " t=" + scheduler.nowMs() + ": " + what
                + "\n  settings: " + settings
                + "\n  replay: ./mvnw -o -q -pl broker -am test -Dtest=ReplicationSimulationTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Djacoco.skip=true -Drunnel.sim.seed=" + seed + (settings.powerLoss() ? " -Drunnel.sim.powerLoss=true" : "")
                + "\n  last events:\n    " + String.join("\n    ", recent));
    }

    private Path newDir(int id) {
        Path dir = root.resolve("b" + id + "-" + dirCounter++);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * Copies a killed process's files as the disk holds them. Without a power loss that is everything
     * written (the page cache survives a kill -9). With one, every segment keeps what was flushed (below
     * the log's recovery point) and a random part of what followed, cut at any byte, as a torn write;
     * later segments are gone. Checkpoint files are written whole and fsynced, so they stay.
     */
    private void copyFiles(SimBroker process, Path to, boolean powerLoss) {
        Map<Path, Long> cuts = new TreeMap<>();
        if (powerLoss) {
            for (PartitionLog log : process.logManager.allLogs()) {
                lostTail(log, cuts);
            }
        }
        try (Stream<Path> files = Files.walk(process.dir)) {
            for (Path file : files.sorted().toList()) {
                Path target = to.resolve(process.dir.relativize(file));
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                    continue;
                }
                Long keep = cuts.get(file);
                if (keep != null && keep < 0) {
                    continue;
                }
                Files.copy(file, target);
                if (keep != null) {
                    try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
                        channel.truncate(keep);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a power loss cuts {@code log}'s segment files: a length per file, -1 for a file that never reached the disk. */
    private void lostTail(PartitionLog log, Map<Path, Long> cuts) {
        long recoveryPoint = log.recoveryPoint();
        List<LogSegment> segments = new ArrayList<>(log.segmentsSnapshot());
        segments.sort(Comparator.comparingLong(LogSegment::baseOffset));
        boolean cut = false;
        boolean lossless = random.nextBoolean();
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            long nextBase = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : Long.MAX_VALUE;
            if (nextBase <= recoveryPoint) {
                continue;
            }
            Path file = segment.logFile();
            if (cut) {
                cuts.put(file, -1L);
                cuts.put(sibling(file, ".index"), -1L);
                cuts.put(sibling(file, ".timeindex"), -1L);
                continue;
            }
            long flushed = flushedBytes(file, segment.baseOffset(), recoveryPoint);
            long size = segment.size();
            long keep = lossless ? size : flushed + (size == flushed ? 0 : (long) (random.nextDouble() * (size - flushed + 1)));
            keep = Math.min(size, keep);
            if (keep < size) {
                cuts.put(file, keep);
                cut = true;
            }
        }
    }

    private static long flushedBytes(Path file, long baseOffset, long recoveryPoint) {
        if (recoveryPoint <= baseOffset) {
            return 0;
        }
        try (FileRecords records = FileRecords.open(file.toFile(), false)) {
            long position = 0;
            for (FileChannelRecordBatch batch : records.batches()) {
                if (batch.lastOffset() >= recoveryPoint) {
                    return batch.position();
                }
                position = batch.position() + batch.sizeInBytes();
            }
            return position;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path sibling(Path logFile, String suffix) {
        String name = logFile.getFileName().toString();
        return logFile.resolveSibling(name.substring(0, name.length() - ".log".length()) + suffix);
    }

    private void close() {
        for (int id = 1; id <= settings.brokers(); id++) {
            if (machines[id] != null && machines[id].process != null) {
                machines[id].process.die();
                closeQuietly(machines[id].process);
            }
        }
        deleteTree(root);
    }

    private static void closeQuietly(SimBroker process) {
        try {
            process.logManager.close();
        } catch (RuntimeException e) {
            // a log the simulation left half-written; its files are thrown away
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
