package io.runnel.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;

class TransactionalLoadsTest {

    private static final Toolbox TOOLBOX = new Toolbox("java", Path.of("kafka-libs"), Path.of("runnel"), "1G");
    private static final TopicSpec TOPIC = new TopicSpec("t", 6);
    private static final ListenerSecurity SECURITY = new ListenerSecurity(Path.of("tls"));

    @Test
    void shouldRunProducerPerformanceWithATransactionEvery100MsAndAcksAll() {
        JavaCommand command = ProducerPerformanceLoad.transactional(TOPIC, 1000, 100).command(TOOLBOX, "localhost:1");

        assertThat(command.mainClass()).isEqualTo("org.apache.kafka.tools.ProducerPerformance");
        assertThat(String.join(" ", command.arguments()))
                .contains("--transactional-id bench-t", "--transaction-duration-ms 100", "--command-property acks=all")
                .contains("--num-records 1000", "--throughput -1");
    }

    @Test
    void shouldReadCommittedWithConsumerPerformance() {
        List<String> arguments = new ConsumerPerformanceLoad(TOPIC, 1000, IsolationLevel.READ_COMMITTED)
                .command(TOOLBOX, "localhost:1").arguments();

        assertThat(String.join(" ", arguments)).contains("--command-property isolation.level=read_committed");
    }

    @Test
    void shouldLeaveTheDefaultIsolationToTheConsumer() {
        List<String> arguments = new ConsumerPerformanceLoad(TOPIC, 1000).command(TOOLBOX, "localhost:1").arguments();

        assertThat(arguments).doesNotContain("--command-property");
    }

    @Test
    void shouldFillTheReadCommittedTopicWithTransactions() throws Exception {
        JavaCommand prefill = new ConsumerPerformanceLoad(TOPIC, 1000, IsolationLevel.READ_COMMITTED)
                .prefill(TOOLBOX, "localhost:1");

        assertThat(prefill.mainClass()).isEqualTo(TransactionalFill.class.getName());
        assertThat(prefill.arguments()).containsExactly("localhost:1", "t", "1000");
        assertThat(prefill.classpath()).isEqualTo(System.getProperty("java.class.path"));
    }

    @Test
    void shouldListTheTransactionalScenariosLastOfThePlaintextOnes() {
        List<String> ids = Scenarios.of(Plan.quick(), SECURITY).stream()
                .filter(s -> s.category() != Category.TLS).map(Scenario::id).toList();

        assertThat(ids.subList(ids.size() - 2, ids.size())).containsExactly("txn-produce-p6", "rc-consume-p6");
    }

    @Test
    void shouldWarmUpWithATransactionalProduceAndAReadCommittedConsume() {
        List<Load> warmUp = Scenarios.warmUp(Plan.quick());

        assertThat(warmUp).anySatisfy(load -> assertThat(load).isInstanceOfSatisfying(ProducerPerformanceLoad.class,
                produce -> assertThat(produce.toolOptions()).contains("--transactional-id")));
        assertThat(warmUp).anySatisfy(load -> assertThat(load).isInstanceOfSatisfying(ConsumerPerformanceLoad.class,
                consume -> assertThat(consume.isolation()).isEqualTo(IsolationLevel.READ_COMMITTED)));
        assertThat(warmUp).allSatisfy(load -> assertThat(load.topic().name()).startsWith("warm-up"));
    }

    @Test
    void shouldWarmUpOnTopicsNoScenarioReads() {
        List<String> measured = Scenarios.of(Plan.full(), SECURITY).stream().map(s -> s.load().topic().name()).toList();

        assertThat(Scenarios.warmUp(Plan.full())).extracting(load -> load.topic().name())
                .doesNotContainAnyElementsOf(measured)
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldMoveThePlansWarmUpRecordsInEachWarmUpLoad() {
        List<Load> warmUp = Scenarios.warmUp(Plan.quick().withWarmupRecords(600_000));

        assertThat(warmUp).extracting(Load::bytesMoved).containsOnly(600_000L * Plan.RECORD_SIZE);
    }
}
