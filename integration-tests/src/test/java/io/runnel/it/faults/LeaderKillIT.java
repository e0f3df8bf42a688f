package io.runnel.it.faults;

import io.runnel.testkit.check.FaultReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition leaders killed with SIGKILL, again and again ({@link FaultProfile#leaderKills()}: 2 in CI, 50
 * when soaking), under idempotent acks=all producers and a consumer group: after each kill another replica
 * leads, the killed broker restarts and catches up as a follower; no acknowledged write is lost, duplicated
 * or moved, and the replicas end identical.
 */
class LeaderKillIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldLoseNoAcknowledgedWriteWhenPartitionLeadersAreKilled() {
        try (FaultRun run = FaultRun.start("leader-kill", dir, false)) {
            Nemesis nemesis = run.nemesis();
            for (int kill = 0; kill < FaultProfile.leaderKills(); kill++) {
                int leader = nemesis.someLeader();
                nemesis.kill(leader);
                nemesis.awaitLeadersOtherThan(leader);
                run.awaitAcknowledgedOnEveryPartition(5);
                nemesis.restart(leader);
                nemesis.awaitFullyInSync();
            }
            FaultReport report = run.finish();
            FaultRun.assertPassed(report);
        }
    }
}
