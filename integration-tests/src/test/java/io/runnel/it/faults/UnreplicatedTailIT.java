package io.runnel.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.testkit.check.FaultReport;
import io.runnel.testkit.check.ReplicaLogChecker;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader that dies with an unreplicated tail and comes back as a follower: both followers are frozen
 * (SIGSTOP), so writes reach the leader's log but cannot be acknowledged (acks=all); the leader is killed
 * (SIGKILL) with that tail on disk; the followers resume and one is elected; the old leader restarts and
 * must cut its tail away to follow the new leader's log. Unacknowledged writes may be lost, acknowledged
 * ones never, and the replicas end identical, the old leader's included.
 */
class UnreplicatedTailIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldTruncateAFormerLeadersUnreplicatedTailAndLoseNoAcknowledgedWrite() {
        try (FaultRun run = FaultRun.start("unreplicated-tail", dir, false)) {
            Nemesis nemesis = run.nemesis();
            int tails = 0;
            for (int round = 0; round < FaultProfile.rounds(); round++) {
                int leader = nemesis.someLeader();
                Set<Integer> led = nemesis.states().ledBy(leader);
                Set<Integer> followers = new TreeSet<>(run.cluster().nodeIds());
                followers.remove(leader);
                Map<Integer, Long> endsBefore = logEnds(run, leader, led);

                followers.forEach(nemesis::pause);
                boolean grew = nemesis.awaitWithinBudget("a write in node " + leader + "'s log while its followers are frozen",
                        () -> !logEnds(run, leader, led).equals(endsBefore));
                tails += grew ? 1 : 0;
                nemesis.kill(leader);
                followers.forEach(nemesis::resume);
                nemesis.awaitLeadersOtherThan(leader);
                run.awaitAcknowledgedOnEveryPartition(5);
                nemesis.restart(leader);
                nemesis.awaitFullyInSync();
            }
            FaultReport report = run.finish();
            FaultRun.assertPassed(report);
            assertThat(tails).as("rounds in which the leader's log grew while its followers were frozen").isEqualTo(FaultProfile.rounds());
        }
    }

    /** The offset after the last batch on disk of each of {@code partitions} in {@code node}'s log. */
    private static Map<Integer, Long> logEnds(FaultRun run, int node, Set<Integer> partitions) {
        Map<Integer, Long> ends = new TreeMap<>();
        for (int partition : partitions) {
            var batches = ReplicaLogChecker.batches(run.logDir(node).resolve(FaultRun.TOPIC + "-" + partition));
            ends.put(partition, batches.isEmpty() ? 0 : batches.lastEntry().getValue().lastOffset() + 1);
        }
        return ends;
    }
}
