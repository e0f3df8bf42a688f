package io.runnel.it.faults;

import io.runnel.testkit.check.FaultReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active controller killed with SIGKILL ({@link FaultProfile#rounds()} times: once in CI) while it
 * is also a broker leading partitions: another voter takes over the metadata quorum, fences it and moves
 * its leaderships; no acknowledged write is lost, duplicated or moved, and the replicas end identical.
 */
class ControllerKillIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldLoseNoAcknowledgedWriteWhenTheActiveControllerIsKilled() {
        try (FaultRun run = FaultRun.start("controller-kill", dir, false)) {
            Nemesis nemesis = run.nemesis();
            for (int round = 0; round < FaultProfile.rounds(); round++) {
                int controller = nemesis.activeController();
                nemesis.kill(controller);
                nemesis.awaitControllerOtherThan(controller);
                nemesis.awaitLeadersOtherThan(controller);
                run.awaitAcknowledgedOnEveryPartition(5);
                nemesis.restart(controller);
                nemesis.awaitFullyInSync();
            }
            FaultReport report = run.finish();
            FaultRun.assertPassed(report);
        }
    }
}
