package io.runnel.testkit.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.check.CheckResult;
import io.runnel.testkit.check.FaultReport;
import io.runnel.testkit.check.HistoryChecker;
import io.runnel.testkit.check.ReplicaCheckResult;
import io.runnel.testkit.check.ReplicaLogChecker;
import io.runnel.testkit.workload.Event.SendAcknowledged;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload against one healthy broker, with no fault: every history the checker sees from real
 * clients must come out clean (the checker must not cry wolf), and the report must count right.
 */
class WorkloadTest {

    private static final String TOPIC = "workload";
    private static final int PARTITIONS = 3;

    @Test
    void shouldRecordACleanHistoryAgainstAHealthyBroker(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), Map.of("group.initial.rebalance.delay.ms", "0"))) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
            History history = new History();
            WorkloadConfig config = WorkloadConfig.defaults(broker.bootstrapServers(), TOPIC, PARTITIONS).withClients(2, 2).withRate(200);
            FinalRead finalRead;
            try (Workload workload = Workload.start(config, history)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> workload.acknowledged() >= 500);
                workload.stopProducers(Duration.ofSeconds(10));
                finalRead = FinalReader.read(broker.bootstrapServers(), TOPIC, PARTITIONS, Duration.ofSeconds(30));
                history.finalRead(finalRead);
                assertThat(workload.awaitConsumed(finalRead.records().stream().map(Read::value).toList(), Duration.ofSeconds(30))).isTrue();
                workload.stopConsumers();
            }

            CheckResult result = HistoryChecker.check(history);

            assertThat(result.valid()).as(result.describe()).isTrue();
            assertThat(result.acknowledged()).isGreaterThanOrEqualTo(500).isEqualTo(result.sends());
            assertThat(result.finalReadRecords()).isEqualTo(result.acknowledged());
            assertThat(finalRead.endOffsets().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(result.acknowledged());
            assertThat(history.events()).filteredOn(SendAcknowledged.class::isInstance).hasSize(result.acknowledged());
            assertThat(history.events()).anySatisfy(event -> assertThat(event).isInstanceOf(Event.Assigned.class));

            history.nemesis("kill", 1, Set.of(0), true);
            ReplicaCheckResult replicas = ReplicaLogChecker.check(Map.of(1, broker.dataDir()), Set.of(TOPIC), 1);
            FaultReport report = FaultReport.of("baseline", history, result, replicas, Duration.ofSeconds(1), List.of());
            assertThat(report.faults()).isOne();
            assertThat(report.unrecovered()).isOne();   // nothing was sent after the recorded "kill"
            assertThat(report.summary()).startsWith("faults baseline: FAIL, faults 1, acknowledged " + result.acknowledged());
        }
    }
}
