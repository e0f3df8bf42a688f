package io.runnel.testkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.testkit.workload.Event;
import io.runnel.testkit.workload.FinalRead;
import io.runnel.testkit.workload.History;
import io.runnel.testkit.workload.Read;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultReportTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final ReplicaCheckResult IDENTICAL = new ReplicaCheckResult(2, 10, 0, 0, 0, List.of());

    /**
     * Node 1 led partitions 0 and 1 and is killed at t=1000 ms: a send made before is acknowledged right after
     * (a response already on its way) and does not count; sends made after are acknowledged at 1800 ms on
     * partition 0 and 3500 ms on partition 1.
     */
    private static History killAndFailover() {
        History history = new History();
        history.add(new Event.SendInvoked(0, 0, "p0", 0, "k0", "a"));
        history.add(new Event.Nemesis(1, 1000 * MS, "kill", 1, Set.of(0, 1), true));
        history.add(new Event.SendAcknowledged(2, 1001 * MS, "p0", "a", 0, 0));
        history.add(new Event.SendInvoked(3, 1100 * MS, "p0", 0, "k0", "b"));
        history.add(new Event.SendInvoked(4, 1200 * MS, "p0", 1, "k1", "c"));
        history.add(new Event.SendAcknowledged(5, 1800 * MS, "p0", "b", 0, 1));
        history.add(new Event.SendAcknowledged(6, 3500 * MS, "p0", "c", 1, 0));
        history.add(new Event.Nemesis(7, 4000 * MS, "restart", 1, Set.of(), false));
        history.finalRead(new FinalRead(Map.of(0, 2L, 1, 1L), List.of(new Read(0, 0, "a"), new Read(0, 1, "b"), new Read(1, 0, "c")), Set.of()));
        return history;
    }

    @Test
    void shouldMeasureFailoverToTheFirstAcknowledgementOfASendMadeAfterTheFault() {
        History history = killAndFailover();

        FaultReport report = FaultReport.of("kill", history, HistoryChecker.check(history), IDENTICAL, Duration.ofSeconds(5), List.of());

        assertThat(report.faults()).isOne();
        assertThat(report.failoverMillis()).containsExactly(800L, 2500L);
        assertThat(report.failoverP50()).isEqualTo(800);
        assertThat(report.failoverMax()).isEqualTo(2500);
        assertThat(report.unrecovered()).isZero();
        assertThat(report.passed()).isTrue();
        assertThat(report.summary()).isEqualTo("faults kill: PASS, faults 1, acknowledged 3 of 3 sends (indeterminate 0), lost 0, duplicates 0,"
                + " inconsistent 0, other anomalies 0, inconsistent replicas 0 of 2 partitions, failover p50 800 ms max 2500 ms (2 samples), 5 s");
    }

    @Test
    void shouldFailARunWithAPartitionNeverAcknowledgedAgainOrInconsistentReplicas() {
        History history = killAndFailover();
        history.add(new Event.Nemesis(8, 5000 * MS, "pause", 2, Set.of(1), true));

        FaultReport report = FaultReport.of("pause", history, HistoryChecker.check(history), IDENTICAL, Duration.ofSeconds(6), List.of("note"));
        assertThat(report.unrecovered()).isOne();
        assertThat(report.passed()).isFalse();
        assertThat(report.summary()).contains("(2 samples, 1 never acknowledged again)");

        ReplicaCheckResult diverged = new ReplicaCheckResult(2, 10, 1, 1, 0, List.of("faults-0: node 2 has ..."));
        FaultReport inconsistent = FaultReport.of("kill", killAndFailover(), HistoryChecker.check(killAndFailover()), diverged, Duration.ZERO, List.of());
        assertThat(inconsistent.passed()).isFalse();
        assertThat(inconsistent.summary()).contains("FAIL", "inconsistent replicas 1 of 2 partitions");
    }

    @Test
    void shouldWriteTheDetailsAndAppendTheSummaryLine(@TempDir Path dir) throws Exception {
        History history = killAndFailover();
        FaultReport report = FaultReport.of("kill", history, HistoryChecker.check(history), IDENTICAL, Duration.ofSeconds(5), List.of("seed 7"));

        report.writeTo(dir);
        report.writeTo(dir);

        assertThat(Files.readString(dir.resolve("kill.txt"))).startsWith(report.summary()).contains("no anomalies", "replicas identical",
                "failover ms: [800, 2500]", "seed 7");
        assertThat(Files.readAllLines(dir.resolve("summary.txt"))).containsExactly(report.summary(), report.summary());
    }
}
