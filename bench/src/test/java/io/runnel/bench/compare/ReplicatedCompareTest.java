package io.runnel.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic and text of the replicated comparison; no broker runs. */
class ReplicatedCompareTest {

    @Test
    void shouldTakeNearestRankPercentiles() {
        long[] oneToTen = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Percentiles.percentile(oneToTen, 50)).isEqualTo(5);
        assertThat(Percentiles.percentile(oneToTen, 99)).isEqualTo(10);
        assertThat(Percentiles.percentile(oneToTen, 10)).isEqualTo(1);
        assertThat(Percentiles.percentile(oneToTen, 100)).isEqualTo(10);

        long[] oneToThousand = new long[1000];
        for (int i = 0; i < oneToThousand.length; i++) {
            oneToThousand[i] = i + 1;
        }
        assertThat(Percentiles.percentile(oneToThousand, 99)).isEqualTo(990);
        assertThat(Percentiles.percentile(oneToThousand, 99.9)).isEqualTo(999);
        assertThat(Percentiles.percentile(new long[] {7}, 99.9)).isEqualTo(7);
        assertThat(Percentiles.percentile(new long[0], 50)).isNaN();
        assertThatThrownBy(() -> Percentiles.percentile(oneToTen, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSortWhatWasAddedInAnyOrderAndGrow() {
        Percentiles values = new Percentiles();
        for (int i = 5000; i > 0; i--) {
            values.add(i);
        }
        assertThat(values.count()).isEqualTo(5000);
        assertThat(values.sorted()[0]).isEqualTo(1);
        assertThat(values.percentile(50)).isEqualTo(2500);
        assertThat(values.percentile(99.9)).isEqualTo(4995);
    }

    @Test
    void shouldKillTheLeaderOfMostPartitionsThatIsNotTheActiveController() {
        Map<Integer, Integer> leaders = Map.of(0, 1, 1, 2, 2, 3, 3, 1, 4, 2, 5, 2);
        assertThat(Victim.choose(leaders, 2, 0)).isEqualTo(1); // 2 leads most, but it is the controller
        assertThat(Victim.choose(leaders, 3, 0)).isEqualTo(2);
        assertThat(Victim.ledBy(leaders, 2)).containsExactly(1, 4, 5);
    }

    @Test
    void shouldTakeTurnsAmongEqualLeadersAndFallBackOnTheController() {
        Map<Integer, Integer> balanced = Map.of(0, 1, 1, 2, 2, 3, 3, 1, 4, 2, 5, 3);
        assertThat(Victim.choose(balanced, 1, 0)).isEqualTo(2);
        assertThat(Victim.choose(balanced, 1, 1)).isEqualTo(3);
        assertThat(Victim.choose(balanced, 1, 2)).isEqualTo(2);
        assertThat(Victim.choose(Map.of(0, 1, 1, 1), 1, 0)).isEqualTo(1);
        assertThatThrownBy(() -> Victim.choose(Map.of(), 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRateRoundByRoundAndJudgeTheTargetsByWhichWayIsBetter() {
        ReplicatedReport report = new ReplicatedReport();
        report.add(Broker.RUNNEL, 1, ReplicatedMetric.THROUGHPUT_MB, 120);
        report.add(Broker.KAFKA, 1, ReplicatedMetric.THROUGHPUT_MB, 100);
        report.add(Broker.RUNNEL, 2, ReplicatedMetric.THROUGHPUT_MB, 90);
        report.add(Broker.KAFKA, 2, ReplicatedMetric.THROUGHPUT_MB, 50);
        report.add(Broker.RUNNEL, 1, ReplicatedMetric.CPU_PER_GB, 7);
        report.add(Broker.KAFKA, 1, ReplicatedMetric.CPU_PER_GB, 10);
        report.add(Broker.RUNNEL, 2, ReplicatedMetric.E2E_P99, 3);
        report.add(Broker.KAFKA, 2, ReplicatedMetric.E2E_P99, 5);

        assertThat(report.ratios(ReplicatedMetric.THROUGHPUT_MB)).containsExactly(1.2, 1.8);
        assertThat(report.ratio(ReplicatedMetric.THROUGHPUT_MB).orElseThrow().median()).isCloseTo(1.5, within(1e-9));
        assertThat(ReplicatedMetric.THROUGHPUT_MB.meets(1.0)).isTrue();
        assertThat(ReplicatedMetric.THROUGHPUT_MB.meets(0.99)).isFalse();
        assertThat(ReplicatedMetric.CPU_PER_GB.meets(0.7)).isFalse();
        assertThat(ReplicatedMetric.E2E_P99.meets(0.6)).isTrue();
        assertThat(ReplicatedMetric.E2E_P50.meets(5)).isTrue(); // no target

        String table = report.table(2);
        assertThat(table).contains("| Produce throughput | MB/s | 105 [90.0–120] | 75.0 [50.0–100] | 1.50 [1.20–1.80]× | ≥ 1.00×: met |");
        assertThat(table).contains("| Brokers' CPU per GB produced | CPU s/GB | 7.00 | 10.0 | 0.700× | ≤ 0.600×: not met |");
        assertThat(table).contains("| End-to-end latency p99 | ms | 3.00 | 5.00 | 0.600× | ≤ 0.750×: met |");
        assertThat(table).doesNotContain("p99.9");
    }

    @Test
    void shouldLeaveAFailoverThatNeverRecoveredOutOfTheFiguresButNotOutOfTheFiles() {
        ReplicatedReport report = new ReplicatedReport();
        report.addFailover(Broker.RUNNEL, 1, new ReplicatedRound.FailoverSample(1, 2, 4, Double.NaN));
        report.addFailover(Broker.KAFKA, 1, new ReplicatedRound.FailoverSample(1, 3, 0, 9876.54));
        report.note(Broker.RUNNEL, 1, "a partition was not acknowledged");

        assertThat(report.failoversCsv()).isEqualTo("broker,round,kill,node,partition,millis\nrunnel,1,1,2,4,\nkafka,1,1,3,0,9876.5\n");
        String json = report.json(Map.of("rounds", 1));
        assertThat(json).contains("\"millis\": null").contains("\"millis\": 9876.54").contains("\"text\": \"a partition was not acknowledged\"");
        assertThat(report.notesText()).isEqualTo("- Runnel round 1: a partition was not acknowledged\n");
    }

    @Test
    void shouldWriteJson() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "a \"quoted\"\\ line\n");
        value.put("int", 3);
        value.put("double", 2.5);
        value.put("whole", 4.0);
        value.put("nan", Double.NaN);
        value.put("none", null);
        value.put("yes", true);
        value.put("list", List.of(1, 0.125));
        value.put("empty", List.of());
        assertThat(Json.write(value)).isEqualTo("""
                {
                  "name": "a \\"quoted\\"\\\\ line\\n",
                  "int": 3,
                  "double": 2.5,
                  "whole": 4,
                  "nan": null,
                  "none": null,
                  "yes": true,
                  "list": [
                    1,
                    0.125
                  ],
                  "empty": []
                }
                """);
    }
}
