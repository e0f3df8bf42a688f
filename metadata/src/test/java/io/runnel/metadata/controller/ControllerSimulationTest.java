package io.runnel.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of the controller with its invariants checked after every event. By default
 * {@value #DEFAULT_SEEDS} seeds of {@value #DEFAULT_STEPS} steps; {@code -Drunnel.sim.seeds=N} for a soak,
 * {@code -Drunnel.sim.seed=S} to replay the seed a failure names, {@code -Drunnel.sim.steps=N} for longer runs.
 */
class ControllerSimulationTest {

    private static final int DEFAULT_SEEDS = 200;
    private static final int DEFAULT_STEPS = 300;

    @Test
    void shouldKeepInvariantsUnderRandomSchedules() {
        String only = System.getProperty("runnel.sim.seed");
        long[] seeds = only != null ? new long[] {Long.parseLong(only)} : LongStream.range(0, Integer.getInteger("runnel.sim.seeds", DEFAULT_SEEDS)).toArray();
        int steps = Integer.getInteger("runnel.sim.steps", DEFAULT_STEPS);
        ControllerSimulation.Stats stats = new ControllerSimulation.Stats();
        long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();

        for (long seed : seeds) {
            new ControllerSimulation(seed, stats).run(steps);
        }

        long cpuMs = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
        System.out.printf("controller simulation: %d seeds, %d steps, %d events, %d refused, %d ms CPU%n  events %s%n  refused %s%n  outcomes %s%n",
                seeds.length, stats.steps, stats.total(stats.events), stats.total(stats.refused), cpuMs, stats.events, stats.refused, stats.outcomes);
        assertThat(stats.events.keySet()).as("every kind of event ran").contains("heartbeat", "crash", "restart", "impostor", "shutdown",
                "create-topic", "add-partitions", "elect-preferred", "elect-unclean", "delete-topic", "pause", "failover", "alter-isr", "reassign",
                "reconfigure", "rebalance");
        if (seeds.length >= DEFAULT_SEEDS) {
            assertThat(stats.outcomes.keySet()).as("every kind of answer and election happened").contains("alter-isr:NONE", "alter-isr:FENCED_LEADER_EPOCH",
                    "alter-isr:INVALID_UPDATE_VERSION", "alter-isr:NOT_LEADER_OR_FOLLOWER", "alter-isr:NEW_LEADER_ELECTED", "reassign:NONE",
                    "reassign:cancel:NONE", "leader-from:isr", "leader-from:elr", "leader-from:last-known", "leader-from:unclean");
            assertThat(stats.outcomes.get("reassign:completed")).as("reassignments completed").isPositive();
        }
    }

    @Test
    void shouldReplayTheSameRunForTheSameSeed() {
        List<String> first = new ControllerSimulation(7, new ControllerSimulation.Stats()).run(150);
        List<String> second = new ControllerSimulation(7, new ControllerSimulation.Stats()).run(150);

        assertThat(second).isEqualTo(first);
    }
}
