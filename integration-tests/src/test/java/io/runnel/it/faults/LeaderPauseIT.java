package io.runnel.it.faults;

import io.runnel.testkit.check.FaultReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition leader frozen with SIGSTOP (a long GC pause: sockets open, nothing answers) until the
 * controller has fenced it after {@code broker.session.timeout.ms} and moved its leaderships, then resumed:
 * the old leader must not acknowledge anything as leader once others lead, and must rejoin as a follower;
 * no acknowledged write is lost, duplicated or moved, and the replicas end identical.
 */
class LeaderPauseIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldLoseNoAcknowledgedWriteWhenALeaderIsPausedPastItsSessionTimeout() {
        try (FaultRun run = FaultRun.start("leader-pause", dir, false)) {
            Nemesis nemesis = run.nemesis();
            for (int round = 0; round < FaultProfile.rounds(); round++) {
                int leader = nemesis.someLeader();
                nemesis.pause(leader);
                nemesis.awaitLeadersOtherThan(leader);
                run.awaitAcknowledgedOnEveryPartition(5);
                nemesis.resume(leader);
                nemesis.awaitFullyInSync();
            }
            FaultReport report = run.finish();
            FaultRun.assertPassed(report);
        }
    }
}
