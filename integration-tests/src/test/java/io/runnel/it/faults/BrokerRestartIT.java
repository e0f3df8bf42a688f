package io.runnel.it.faults;

import io.runnel.testkit.check.FaultReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition leader stopped with SIGTERM (a controlled shutdown: it hands its leaderships over, then
 * exits) and started again on its data ({@link FaultProfile#rounds()} times: once in CI): it rejoins as a
 * follower and catches up; no acknowledged write is lost, duplicated or moved, and the replicas end identical.
 */
class BrokerRestartIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldLoseNoAcknowledgedWriteWhenALeaderIsStoppedAndRestarted() {
        try (FaultRun run = FaultRun.start("leader-restart", dir, false)) {
            Nemesis nemesis = run.nemesis();
            for (int round = 0; round < FaultProfile.rounds(); round++) {
                int leader = nemesis.someLeader();
                nemesis.stop(leader);
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
