package io.runnel.it.faults;

import io.runnel.testkit.check.FaultReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition leader cut off from the other brokers and controllers in both directions (every connection
 * between nodes runs through {@link io.runnel.testkit.link.NodeLinks}), while clients still reach it: it
 * cannot commit (acks=all, {@code min.insync.replicas=2}), the majority side fences it and elects other
 * leaders; once healed it rejoins as a follower. No acknowledged write is lost, duplicated or moved, and the
 * replicas end identical.
 */
class BrokerIsolationIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldLoseNoAcknowledgedWriteWhenALeaderIsCutOffFromTheOtherBrokers() {
        try (FaultRun run = FaultRun.start("leader-isolation", dir, true)) {
            Nemesis nemesis = run.nemesis();
            for (int round = 0; round < FaultProfile.rounds(); round++) {
                int leader = nemesis.someLeader();
                nemesis.isolate(leader);
                nemesis.awaitLeadersOtherThan(leader);
                run.awaitAcknowledgedOnEveryPartition(5);
                nemesis.heal(leader);
                nemesis.awaitFullyInSync();
            }
            FaultReport report = run.finish();
            FaultRun.assertPassed(report);
        }
    }
}
