package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.ClientProcess;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.SteadyStream;
import io.runnel.it.support.TargetBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams with {@code exactly_once_v2}: a word count ({@link WordCountInstance}, with a repartition
 * topic and a changelog) run by two instances in JVMs of their own; one is killed with SIGKILL while
 * lines keep coming, and the other takes over its tasks. The output read with read_committed must hold,
 * for each word, counts that only ever grow and end at exactly the number of times the word was sent:
 * nothing counted twice and nothing lost. Also passes against Apache Kafka 4.3.1 ({@link TargetBroker}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsEosIT {

    private static final int PARTITIONS = 4;
    private static final int WORDS_PER_LINE = 4;
    private static final int VOCABULARY = 17;
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    @TempDir
    static Path stateDirs;

    private TargetBroker broker;

    @BeforeAll
    void startBroker() {
        broker = TargetBroker.start(dataDir, Map.of("runnel.transactions.enable", "true",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000",
                "group.initial.rebalance.delay.ms", "0"));
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldCountEveryWordExactlyOnceAcrossTheKillOfAnInstance() throws Exception {
        String input = topic("words-input");
        String output = topic("words-output");
        String applicationId = TargetBroker.unique("word-count");
        try (ClientProcess killed = instance("killed", applicationId, input, output);
             ClientProcess survivor = instance("survivor", applicationId, input, output);
             KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers());
             CommittedCounts counts = new CommittedCounts(output)) {
            awaitRunning(killed);
            awaitRunning(survivor);

            Map<String, Long> expected;
            try (SteadyStream lines = SteadyStream.start("word-lines", 20, Duration.ofMillis(20), (from, to) -> {
                for (int line = from; line < to; line++) {
                    producer.send(new ProducerRecord<>(input, "line-" + line, line(line)));
                }
                producer.flush();
            })) {
                await().atMost(STARTUP).until(() -> counts.poll() > 0 && lines.emitted() >= 1000);
                long runningBeforeKill = survivor.countStdout(StreamsEosIT::isRunning);
                killed.kill();
                // 128 + SIGKILL: it was still running when killed, it did not fail before.
                assertThat(killed.awaitExit(Duration.ofSeconds(10))).as(() -> killed.tail(20)).isEqualTo(137);

                // Lines keep coming while the survivor waits for the killed instance's session to expire
                // and its transaction to be aborted, and after the survivor took its tasks over.
                int emittedAtKill = lines.emitted();
                await().atMost(STARTUP).until(() -> lines.emitted() >= emittedAtKill + 4000);
                expected = expectedCounts(lines.stop());
                // The survivor took the killed instance's tasks over: it rebalanced and runs again.
                await().atMost(STARTUP).until(() -> survivor.countStdout(StreamsEosIT::isRunning) > runningBeforeKill);
            }

            await().atMost(STARTUP).untilAsserted(() ->
                    assertThat(counts.pollLatest()).as(() -> survivor.tail(20)).isEqualTo(expected));
            assertThat(counts.history()).allSatisfy((word, history) -> assertThat(history).isSorted().doesNotHaveDuplicates());
            assertThat(survivor.isAlive()).as(survivor.tail(20)).isTrue();
        }
    }

    private String topic(String name) {
        String topic = TargetBroker.unique(name);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        return topic;
    }

    /** An application instance in a JVM of its own, with the test's class path and a state directory of its own. */
    private ClientProcess instance(String name, String applicationId, String input, String output) {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WordCountInstance.class.getName(), broker.bootstrapServers(), applicationId, input, output,
                stateDirs.resolve(name).toString());
        return ClientProcess.start(name, command, Map.of());
    }

    private static void awaitRunning(ClientProcess instance) {
        await().atMost(STARTUP).untilAsserted(() ->
                assertThat(instance.countStdout(StreamsEosIT::isRunning)).as(() -> instance.tail(20)).isPositive());
    }

    private static boolean isRunning(String stdoutLine) {
        return stdoutLine.equals(WordCountInstance.STATE_PREFIX + "RUNNING");
    }

    /** Line {@code number}: {@value #WORDS_PER_LINE} words of the vocabulary, a different mix for each line. */
    private static String line(int number) {
        StringBuilder line = new StringBuilder();
        for (int i = 1; i <= WORDS_PER_LINE; i++) {
            if (i > 1) {
                line.append(' ');
            }
            line.append(word(number * i + i));
        }
        return line.toString();
    }

    private static String word(int seed) {
        return "word" + Math.floorMod(seed, VOCABULARY);
    }

    private static Map<String, Long> expectedCounts(int lines) {
        Map<String, Long> counts = new TreeMap<>();
        for (int line = 0; line < lines; line++) {
            for (String word : line(line).split(" ")) {
                counts.merge(word, 1L, Long::sum);
            }
        }
        return counts;
    }

    /** The output topic as read_committed consumers see it: each word's counts in the order written. */
    private final class CommittedCounts implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final Map<String, List<Long>> history = new HashMap<>();

        CommittedCounts(String topic) {
            consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("isolation.level", "read_committed"));
            List<TopicPartition> partitions = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                partitions.add(new TopicPartition(topic, partition));
            }
            consumer.assign(partitions);
        }

        /** Reads what was committed since the last poll; returns how many counts were read in all. */
        int poll() {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                history.computeIfAbsent(record.key(), word -> new ArrayList<>()).add(Long.parseLong(record.value()));
            }
            return history.values().stream().mapToInt(List::size).sum();
        }

        Map<String, Long> pollLatest() {
            poll();
            return latest();
        }

        Map<String, Long> latest() {
            Map<String, Long> latest = new TreeMap<>();
            history.forEach((word, counts) -> latest.put(word, counts.get(counts.size() - 1)));
            return latest;
        }

        Map<String, List<Long>> history() {
            return history;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
