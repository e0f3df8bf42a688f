package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerHarness.SESSION_TIMEOUT_MS;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.HeartbeatReply;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;

/**
 * One seeded run of a controller against simulated brokers and admins: at each step the manual clock
 * moves, one to three events chosen by the seed happen (heartbeats, crashes and clean or unclean
 * restarts, controlled shutdowns, topic and partition changes, elections, leaders' ISR changes,
 * reassignments, config changes, leader rebalancing, long pauses, controller failovers; see
 * {@link ReplicationEvents}), the controller's session timer runs, and {@link ClusterInvariants} checks
 * the committed image after every event. Some runs use a stricter static min.insync.replicas or unclean
 * elections. Every choice comes from the seed over sorted ids, so a seed replays exactly. Not thread-safe.
 */
final class ControllerSimulation {

    /** What happened in a run, summed over runs. */
    static final class Stats {
        final Map<String, Integer> events = new TreeMap<>();
        final Map<String, Integer> refused = new TreeMap<>();
        /** Per replication event, how it was answered (error names; "completed" for moves that finished). */
        final Map<String, Integer> outcomes = new TreeMap<>();
        long steps;

        int total(Map<String, Integer> counts) {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** A broker process as the simulation drives it. */
    private static final class SimBroker {
        final int id;
        final String rack;
        Uuid directoryId;
        long epoch = -1;
        boolean up;
        long downUntilMs;
        boolean wantShutDown;
        long replayedOffset;
        long registeredAtOffset;
        long maxReportedOffset = -1;
        /** The epoch this broker's last process had when it shut down cleanly; -1 after a crash. */
        long cleanShutdownEpoch = -1;

        SimBroker(int id, String rack, Uuid directoryId) {
            this.id = id;
            this.rack = rack;
            this.directoryId = directoryId;
        }
    }

    /** Topics grow no further, so a run's cost stays flat. */
    private static final int MAX_PARTITIONS = 12;

    private final long seed;
    private final Random random;
    private final ControllerHarness cluster;
    private final List<SimBroker> brokers = new ArrayList<>();
    private final ClusterInvariants invariants;
    private final Deque<String> recent = new ArrayDeque<>();
    private final Stats stats;
    private final ReplicationEvents replication;
    private int topicCounter;

    ControllerSimulation(long seed, Stats stats) {
        this.seed = seed;
        this.random = new Random(seed);
        this.stats = stats;
        // most runs with Kafka's defaults; some with a stricter min.insync.replicas, or unclean elections on, as the static config
        ControllerConfig config = random.nextInt(4) > 0 ? ControllerConfig.defaults() : new ControllerConfig(1 + random.nextInt(3), random.nextInt(3) == 0);
        this.cluster = new ControllerHarness(random.nextLong(), config);
        this.invariants = new ClusterInvariants(config);
        int count = 3 + random.nextInt(3);
        boolean racks = random.nextBoolean();
        for (int id = 1; id <= count; id++) {
            brokers.add(new SimBroker(id, racks ? "r" + (id % 3) : null, uuid()));
        }
        this.replication = new ReplicationEvents(random, cluster, invariants, this::liveEpoch, stats.outcomes);
    }

    /** Runs {@code steps} steps; the trace of events, for a replay check. */
    List<String> run(int steps) {
        List<String> trace = new ArrayList<>();
        for (SimBroker broker : brokers) {
            perform(0, "start", () -> restart(broker), trace);
        }
        for (int step = 1; step <= steps; step++) {
            cluster.advance(random.nextInt(400));
            int events = 1 + random.nextInt(3);
            for (int i = 0; i < events; i++) {
                String event = pickEvent();
                perform(step, event, () -> run(event), trace);
            }
            perform(step, "session-timer", () -> "fenced " + fencedBy(cluster.fenceExpired()), trace);
            stats.steps++;
        }
        stats.outcomes.merge("reassign:completed", invariants.completedReassignments(), Integer::sum);
        invariants.elections().forEach((from, count) -> stats.outcomes.merge("leader-from:" + from, count, Integer::sum));
        return trace;
    }

    private void perform(int step, String event, java.util.function.Supplier<String> action, List<String> trace) {
        String outcome;
        try {
            outcome = action.get();
            stats.events.merge(event, 1, Integer::sum);
        } catch (ApiException e) {
            outcome = "refused " + e.getClass().getSimpleName();
            stats.refused.merge(event + ":" + e.getClass().getSimpleName(), 1, Integer::sum);
        } catch (RuntimeException e) {
            throw failure(step, event, "threw " + e, e);
        } catch (AssertionError e) {
            throw failure(step, event, e.getMessage(), e);
        }
        String line = "t=" + cluster.nowMs() + " " + event + ": " + outcome;
        trace.add(line);
        recent.addLast(line);
        if (recent.size() > 12) {
            recent.removeFirst();
        }
        try {
            invariants.check(cluster.image(), this::caughtUp);
        } catch (AssertionError e) {
            throw failure(step, event, e.getMessage(), e);
        }
    }

    private AssertionError failure(int step, String event, String what, Throwable cause) {
        return new AssertionError("seed " + seed + " step " + step + " event " + event + ": " + what
                + "\nreplay with -Drunnel.sim.seed=" + seed + "\nlast events:\n  " + String.join("\n  ", recent), cause);
    }

    private String pickEvent() {
        int roll = random.nextInt(100);
        String[] events = {"heartbeat", "crash", "restart", "impostor", "shutdown", "create-topic", "add-partitions", "elect-preferred",
            "elect-unclean", "delete-topic", "pause", "failover", "alter-isr", "reassign", "reconfigure", "rebalance"};
        int[] weights = {30, 4, 8, 2, 3, 7, 4, 4, 2, 6, 4, 4, 12, 5, 3, 2};
        for (int i = 0; i < events.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return events[i];
            }
        }
        throw new IllegalStateException("weights do not sum to 100");
    }

    private String run(String event) {
        switch (event) {
            case "heartbeat":
                return withBroker(b -> b.up && b.epoch >= 0, this::heartbeat);
            case "crash":
                return withBroker(b -> b.up, this::crash);
            case "restart":
                return withBroker(b -> !b.up && b.downUntilMs <= cluster.nowMs(), this::restart);
            case "impostor":
                return withBroker(b -> b.epoch >= 0, this::impostor);
            case "shutdown":
                return withBroker(b -> b.up && b.epoch >= 0 && !b.wantShutDown, this::shutdown);
            case "create-topic":
                return createTopic();
            case "pause":
                cluster.advance(SESSION_TIMEOUT_MS / 2 + random.nextInt((int) SESSION_TIMEOUT_MS));
                return "clock at " + cluster.nowMs();
            case "failover":
                cluster.failover();
                return "new controller";
            case "alter-isr":
                return replication.alterIsr();
            case "reassign":
                return replication.reassign();
            case "reconfigure":
                return replication.reconfigure();
            case "rebalance":
                return "more " + cluster.balanceLeaders();
            default:
                return withTopic(event);
        }
    }

    private String withBroker(Predicate<SimBroker> eligible, java.util.function.Function<SimBroker, String> action) {
        List<SimBroker> candidates = brokers.stream().filter(eligible).toList();
        return candidates.isEmpty() ? "no broker" : action.apply(candidates.get(random.nextInt(candidates.size())));
    }

    private String heartbeat(SimBroker broker) {
        long committed = cluster.image().offset();
        broker.replayedOffset = random.nextInt(4) > 0 ? committed
                : broker.replayedOffset + (long) (random.nextDouble() * (committed - broker.replayedOffset));
        HeartbeatReply reply = cluster.heartbeat(broker.id, broker.epoch, broker.replayedOffset, broker.wantShutDown);
        broker.maxReportedOffset = Math.max(broker.maxReportedOffset, broker.replayedOffset);
        if (reply.shouldShutDown()) {
            down(broker);
            broker.cleanShutdownEpoch = broker.epoch;
        }
        return "b" + broker.id + " e" + broker.epoch + " at " + broker.replayedOffset + (broker.wantShutDown ? " wants shutdown" : "") + " -> " + reply;
    }

    private String crash(SimBroker broker) {
        down(broker);
        broker.cleanShutdownEpoch = -1;
        return "b" + broker.id + " down until " + broker.downUntilMs;
    }

    private void down(SimBroker broker) {
        broker.up = false;
        broker.downUntilMs = cluster.nowMs() + random.nextInt((int) (2 * SESSION_TIMEOUT_MS));
    }

    private String restart(SimBroker broker) {
        return register(broker, broker.directoryId);
    }

    /** A second process with the same node id and other storage: refused while the first one still has a session. */
    private String impostor(SimBroker broker) {
        Uuid directory = uuid();
        String outcome = register(broker, directory);
        broker.directoryId = directory;
        return outcome;
    }

    private String register(SimBroker broker, Uuid directoryId) {
        // a process that shut down cleanly says so, mostly; one that crashed, or forgot, does not
        long previousEpoch = random.nextInt(6) == 0 ? -1 : broker.cleanShutdownEpoch;
        boolean clean = previousEpoch >= 0 && previousEpoch == registeredEpoch(broker.id);
        long epoch = cluster.register(broker.id, uuid(), directoryId, broker.rack, previousEpoch);
        if (!clean) {
            invariants.uncleanRestart(broker.id);
        }
        broker.cleanShutdownEpoch = -1;
        broker.epoch = epoch;
        broker.up = true;
        broker.wantShutDown = false;
        broker.registeredAtOffset = cluster.image().offset();
        broker.maxReportedOffset = -1;
        broker.replayedOffset = (long) (random.nextDouble() * broker.registeredAtOffset);
        return "b" + broker.id + " registered e" + epoch + " at " + broker.registeredAtOffset + (previousEpoch >= 0 ? " clean" : "");
    }

    private String shutdown(SimBroker broker) {
        broker.wantShutDown = true;
        return heartbeat(broker);
    }

    private String createTopic() {
        String name = "t" + topicCounter++;
        int partitions = 1 + random.nextInt(6);
        long active = cluster.image().brokers().values().stream().filter(BrokerRegistration::isActive).count();
        int replicationFactor = 1 + random.nextInt((int) Math.max(1, Math.min(3, active)));
        if (random.nextInt(10) == 0) {
            replicationFactor = 1 + random.nextInt(3);
        }
        Map<Integer, List<Integer>> assignments = new HashMap<>();
        if (random.nextInt(8) == 0) {
            List<Integer> ids = brokers.stream().map(b -> b.id).toList();
            for (int p = 0; p < partitions; p++) {
                List<Integer> shuffled = new ArrayList<>(ids);
                java.util.Collections.shuffle(shuffled, random);
                assignments.put(p, shuffled.subList(0, replicationFactor));
            }
        }
        Map<String, String> configs = random.nextInt(4) > 0 ? Map.of()
                : Map.of(ReplicationConfigs.MIN_INSYNC_REPLICAS, String.valueOf(1 + random.nextInt(3)));
        cluster.handle(new ControllerCommand.CreateTopic(name, partitions, replicationFactor, assignments, configs, false));
        return name + " " + partitions + "x" + replicationFactor + (assignments.isEmpty() ? "" : " assigned " + assignments.values());
    }

    private String withTopic(String event) {
        List<TopicMetadata> topics = cluster.image().topics().stream().sorted(Comparator.comparing(TopicMetadata::name)).toList();
        if (topics.isEmpty()) {
            return "no topic";
        }
        TopicMetadata topic = topics.get(random.nextInt(topics.size()));
        List<PartitionId> partitions = IntStream.range(0, topic.partitionCount()).mapToObj(i -> new PartitionId(topic.id(), i)).toList();
        switch (event) {
            case "add-partitions":
                if (topic.partitionCount() >= MAX_PARTITIONS) {
                    return topic.name() + " has " + topic.partitionCount();
                }
                cluster.handle(new ControllerCommand.CreatePartitions(topic.id(), topic.partitionCount() + 1 + random.nextInt(3), List.of(), false));
                return topic.name() + " now " + cluster.topic(topic.name()).partitionCount();
            case "elect-preferred":
            case "elect-unclean":
                if (event.equals("elect-unclean")) {
                    invariants.allowUncleanElection(topic.id());
                }
                return topic.name() + " " + elections(cluster.handle(new ControllerCommand.ElectLeaders(event.equals("elect-unclean"), partitions)));
            case "delete-topic":
                cluster.handle(new ControllerCommand.DeleteTopic(topic.id()));
                return topic.name();
            default:
                throw new IllegalArgumentException(event);
        }
    }

    private static String elections(Object reply) {
        return ((List<?>) reply).stream().map(r -> String.valueOf(((ControllerCommand.PartitionResult) r).errorCode())).toList().toString();
    }

    private static String fencedBy(List<io.runnel.metadata.MetadataRecord> records) {
        return records.stream().filter(r -> r instanceof io.runnel.metadata.MetadataRecord.BrokerRegistrationChangeRecord)
                .map(r -> "b" + ((io.runnel.metadata.MetadataRecord.BrokerRegistrationChangeRecord) r).brokerId()).toList().toString();
    }

    /** The epoch broker {@code id} is registered with in the committed image, or -1. */
    private long registeredEpoch(int id) {
        return cluster.image().broker(id).map(io.runnel.metadata.BrokerRegistration::epoch).orElse(-1L);
    }

    /** The epoch broker {@code id}'s live process registered with, or -1 if it has no live, registered process. */
    private long liveEpoch(int id) {
        SimBroker broker = id >= 1 && id <= brokers.size() ? brokers.get(id - 1) : null;
        return broker != null && broker.up ? broker.epoch : -1;
    }

    /** True if broker {@code id}'s current process has reported an offset that covers its registration. */
    private boolean caughtUp(int id) {
        SimBroker broker = brokers.get(id - 1);
        return broker.maxReportedOffset >= broker.registeredAtOffset;
    }

    private Uuid uuid() {
        return new Uuid(random.nextLong(), random.nextLong());
    }
}
