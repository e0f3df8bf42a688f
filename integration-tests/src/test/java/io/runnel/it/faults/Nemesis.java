package io.runnel.it.faults;

import static org.awaitility.Awaitility.await;

import io.runnel.testkit.BrokerProcessCluster;
import io.runnel.testkit.workload.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Jepsen's name for what injects faults: kills, pauses, stops and isolates nodes of a
 * {@link BrokerProcessCluster}, records each fault (with the partitions the node led just before) and each
 * repair in the {@link History}, and knows which nodes are impaired so it can ask a healthy one how the
 * cluster looks and repair everything at the end. Used from the test thread only.
 */
final class Nemesis {

    /** How long one failover or recovery may take before the test stops waiting for it. */
    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);
    /**
     * How long a run may spend in waits that time out, in all: a cluster that does not recover then makes
     * the run go on quickly to its report (which shows the damage) instead of waiting out every limit. A
     * wait that succeeds spends nothing, so a healthy run never touches it.
     */
    static final Duration RECOVERY_BUDGET = Duration.ofSeconds(30);

    private final BrokerProcessCluster cluster;
    private final History history;
    private final String topic;
    private final int partitions;
    private final Random random;
    private final Set<Integer> down = new TreeSet<>();
    private final Set<Integer> paused = new TreeSet<>();
    private final Set<Integer> isolated = new TreeSet<>();
    private final List<String> notes = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private long budgetLeftNanos = RECOVERY_BUDGET.toNanos();
    private int faults;

    Nemesis(BrokerProcessCluster cluster, History history, String topic, int partitions, long seed) {
        this.cluster = cluster;
        this.history = history;
        this.topic = topic;
        this.partitions = partitions;
        this.random = new Random(seed);
    }

    /** Faults injected so far. */
    int faults() {
        return faults;
    }

    /** The waits that timed out, with when. */
    List<String> notes() {
        return List.copyOf(notes);
    }

    /** Nodes that are running, not paused and not isolated. */
    Set<Integer> healthy() {
        Set<Integer> healthy = new TreeSet<>(cluster.nodeIds());
        healthy.removeAll(down);
        healthy.removeAll(paused);
        healthy.removeAll(isolated);
        return healthy;
    }

    /** The topic's partitions as a healthy node sees them; retried while nodes settle. */
    PartitionStates states() {
        List<Integer> observers = new ArrayList<>(healthy());
        RuntimeException last = new IllegalStateException("no healthy node to ask");
        for (int attempt = 0; attempt < 3 * Math.max(1, observers.size()); attempt++) {
            int observer = observers.get(attempt % observers.size());
            try {
                return PartitionStates.askNode(cluster.bootstrapServers(observer), topic);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * A node that leads at least one partition, chosen at random (seeded); not the active controller
     * when another leader exists, so a broker fault is not also a controller fault. When no partition has
     * a leader (a broken cluster, which the report will show), any healthy node.
     */
    int someLeader() {
        PartitionStates states = states();
        int controller = cluster.activeControllerId();
        List<Integer> leaders = new ArrayList<>(new TreeSet<>(states.byPartition().values().stream()
                .map(PartitionStates.State::leader).filter(leader -> leader != PartitionStates.NO_LEADER).toList()));
        List<Integer> candidates = leaders.stream().filter(leader -> leader != controller).toList();
        List<Integer> from = !candidates.isEmpty() ? candidates : !leaders.isEmpty() ? leaders : new ArrayList<>(healthy());
        return from.get(random.nextInt(from.size()));
    }

    /** The active controller, once there is one. */
    int activeController() {
        awaitWithinBudget("an active controller", () -> cluster.activeControllerId() != -1);
        int controller = cluster.activeControllerId();
        if (controller == -1) {
            throw new IllegalStateException("no active controller among " + healthy());
        }
        return controller;
    }

    /** The node that leads {@code partition} now. */
    int leaderOf(int partition) {
        return states().byPartition().get(partition).leader();
    }

    /** SIGKILL, waiting until the process is gone; returns the partitions it led. */
    Set<Integer> kill(int node) {
        return fault("kill", node, () -> {
            cluster.kill(node);
            down.add(node);
        });
    }

    /** SIGTERM (a controlled shutdown), waiting for the exit; returns the partitions it led. */
    Set<Integer> stop(int node) {
        return fault("stop", node, () -> {
            cluster.stop(node);
            down.add(node);
        });
    }

    /** SIGSTOP; returns the partitions it led. */
    Set<Integer> pause(int node) {
        return fault("pause", node, () -> {
            cluster.pause(node);
            paused.add(node);
        });
    }

    /** Cuts the node off from the other nodes, both ways (clients still reach it); returns the partitions it led. */
    Set<Integer> isolate(int node) {
        return fault("isolate", node, () -> {
            cluster.isolate(node);
            isolated.add(node);
        });
    }

    /** Starts a killed or stopped node again and waits until it is unfenced. */
    void restart(int node) {
        history.nemesis("restart", node, Set.of(), false);
        cluster.restart(node);
        down.remove(node);
    }

    /** SIGCONT. */
    void resume(int node) {
        history.nemesis("resume", node, Set.of(), false);
        cluster.resume(node);
        paused.remove(node);
    }

    /** Reconnects an isolated node. */
    void heal(int node) {
        history.nemesis("heal", node, Set.of(), false);
        cluster.heal(node);
        isolated.remove(node);
    }

    /** Resumes, heals and restarts every impaired node. */
    void repairAll() {
        new TreeSet<>(paused).forEach(this::resume);
        new TreeSet<>(isolated).forEach(this::heal);
        if (!down.isEmpty()) {
            history.nemesis("restart", -1, Set.of(), false);
            cluster.restart(down.stream().mapToInt(Integer::intValue).toArray());
            down.clear();
        }
    }

    /** Waits until every partition has a leader other than {@code node}, as the healthy nodes see it; false if it timed out. */
    boolean awaitLeadersOtherThan(int node) {
        return awaitWithinBudget("every partition led by a node other than " + node, () -> states().allLedOutside(partitions, Set.of(node)));
    }

    /** Waits until a voter other than {@code formerController} is the active controller; false if it timed out. */
    boolean awaitControllerOtherThan(int formerController) {
        return awaitWithinBudget("an active controller other than " + formerController,
                () -> cluster.activeControllerId() != -1 && cluster.activeControllerId() != formerController);
    }

    /** Waits until every partition has a leader and a full ISR; false if it timed out. */
    boolean awaitFullyInSync() {
        return awaitWithinBudget("every partition led with a full ISR", () -> states().fullyInSync(partitions));
    }

    /**
     * Waits for {@code condition} at most {@link #RECOVERY_LIMIT}, and never longer than what is left of
     * the {@link #RECOVERY_BUDGET} (at least a second); a timeout is noted and spends the budget.
     */
    boolean awaitWithinBudget(String what, Callable<Boolean> condition) {
        long limit = Math.max(TimeUnit.SECONDS.toNanos(1), Math.min(RECOVERY_LIMIT.toNanos(), budgetLeftNanos));
        long start = System.nanoTime();
        try {
            await().atMost(Duration.ofNanos(limit)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            budgetLeftNanos -= System.nanoTime() - start;
            notes.add(String.format("at %.1f s: gave up after %.1f s waiting for %s", (start - startNanos) / 1e9, (System.nanoTime() - start) / 1e9, what));
            return false;
        }
    }

    /**
     * Injects a fault and records it once done (the process gone, the signal delivered, the link cut), so
     * that no acknowledgement the node sent before counts as a failover.
     */
    private Set<Integer> fault(String action, int node, Runnable inject) {
        Set<Integer> led = healthy().contains(node) ? ledNow(node) : Set.of();
        inject.run();
        history.nemesis(action, node, led, true);
        faults++;
        return led;
    }

    private Set<Integer> ledNow(int node) {
        try {
            return states().ledBy(node);
        } catch (RuntimeException e) {
            return Set.of();
        }
    }
}
