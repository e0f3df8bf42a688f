package io.runnel.it.cluster;

import static io.runnel.it.cluster.ClusterProbe.NO_LEADER;
import static io.runnel.it.cluster.ClusterProbe.leaders;
import static io.runnel.it.cluster.ClusterProbe.ledBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.AcknowledgedRecord;
import io.runnel.it.support.Acknowledgements;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.ReadBackAssertions;
import io.runnel.it.support.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A broker of a three-process cluster that crashes (SIGKILL), stops (SIGTERM) or freezes (SIGSTOP) while it
 * leads partitions of replication factor 1: those partitions go offline, the others keep serving, and once it is back it
 * leads them again with every acknowledged record, none twice.
 */
class BrokerCrashIT extends ThreeProcessCluster {

    private static final int PARTITIONS = 6;
    private static final Duration FENCING_LIMIT = Duration.ofSeconds(20);

    @Test
    void shouldTakeAKilledBrokersPartitionsOfflineServeTheOthersAndKeepEveryAcknowledgedRecordAfterRestart() throws Exception {
        String topic = "killed";
        int victim = victim();
        Set<Integer> victimPartitions = createTopicLedInPartBy(topic, victim);
        Acknowledgements acks = new Acknowledgements();

        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of("linger.ms", 0));
             Admin survivors = ClusterProbe.admin(survivorsBootstrap(victim), 10_000)) {
            sendToEveryPartition(producer, topic, acks, 0, 50);
            assertThat(acks.failures()).isEmpty();

            cluster.kill(victim);
            // While the controller has not fenced it yet and after: the other partitions keep taking records.
            int round = 50;
            long deadline = System.nanoTime() + FENCING_LIMIT.toNanos();
            while (!offline(leaders(survivors, topic), victimPartitions)) {
                assertThat(System.nanoTime()).as("the killed broker's partitions are offline within %s", FENCING_LIMIT).isLessThan(deadline);
                sendToPartitions(producer, topic, acks, otherPartitions(victimPartitions), round++);
            }
            // Each survivor replays the fencing on its own, moments apart: wait until the one answering agrees too.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(leaders(survivors, topic)).allSatisfy((partition, leader) ->
                    assertThat(leader).isEqualTo(victimPartitions.contains(partition) ? NO_LEADER : leader).isNotEqualTo(victim)));
            sendToPartitions(producer, topic, acks, otherPartitions(victimPartitions), round);
            assertThat(acks.failures()).isEmpty();
        }

        cluster.restart(victim);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledBy(leaders(cluster.bootstrapServers(), topic), victim)).isEqualTo(victimPartitions));
        assertTopicHoldsExactly(topic, acks);
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenABrokerStopsUnderAProducerAndAGroup() throws Exception {
        String topic = "stopped";
        int victim = victim();
        Set<Integer> victimPartitions = createTopicLedInPartBy(topic, victim);
        Acknowledgements acks = new Acknowledgements();
        Map<String, Integer> consumed = new ConcurrentHashMap<>();
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread consumer = new Thread(() -> consume(topic, consumed, consuming), "stopped-topic-group-member");
        consumer.start();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(),
                Map.of("delivery.timeout.ms", 180_000, "request.timeout.ms", 10_000))) {
            for (int i = 0; i < 3_000; i++) {
                sendAsync(producer, topic, i % PARTITIONS, "before-" + i, acks);
                if (i == 1_000) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> acks.acknowledgedCount() >= 500);
                    cluster.node(victim).terminate();   // SIGTERM with sends in flight
                }
            }
            assertThat(cluster.stop(victim)).as("exit code of a SIGTERM-ed broker").isZero();
            // Down: the records of the other brokers' partitions are all acknowledged, the victim's wait.
            for (int i = 0; i < 1_200; i++) {
                sendAsync(producer, topic, i % PARTITIONS, "while-down-" + i, acks);
            }
            long expectedOnSurvivors = 4_200L * (PARTITIONS - victimPartitions.size()) / PARTITIONS;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(acks.acknowledged().stream()
                    .filter(record -> !victimPartitions.contains(record.partition())).count()).isEqualTo(expectedOnSurvivors));
            assertThat(acks.failures()).as("send failures while broker %d is down", victim).isEmpty();

            cluster.restart(victim);
            producer.flush();
        }
        assertThat(acks.failures()).as("send failures").isEmpty();
        assertThat(acks.acknowledgedCount()).isEqualTo(4_200);

        List<ConsumerRecord<String, String>> records = TopicReader.readAll(cluster.bootstrapServers(), topic);
        ReadBackAssertions.assertEveryAcknowledgedRecordAtItsOffset(records, acks.acknowledged());
        Map<String, Long> copies = records.stream().collect(Collectors.groupingBy(ConsumerRecord::value, Collectors.counting()));
        assertThat(copies).as("records written more than once").allSatisfy((value, count) -> assertThat(count).isOne());
        try {
            Set<String> acknowledgedValues = acks.acknowledged().stream().map(AcknowledgedRecord::value).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(consumed.keySet()).containsAll(acknowledgedValues));
        } finally {
            consuming.set(false);
            consumer.join(30_000);
        }
    }

    @Test
    void shouldFenceAPausedBrokerAndLetItLeadAgainWhenItResumes() throws Exception {
        String topic = "paused";
        int victim = victim();
        Set<Integer> victimPartitions = createTopicLedInPartBy(topic, victim);
        Acknowledgements acks = new Acknowledgements();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of("linger.ms", 0))) {
            sendToEveryPartition(producer, topic, acks, 0, 20);
        }

        cluster.pause(victim);   // SIGSTOP: a long GC pause; no heartbeats, sockets open
        // Until it is fenced, metadata still lists it, and an Admin client may send there and wait: ask a
        // survivor itself.
        int survivor = cluster.nodeIds().stream().filter(id -> id != victim).findFirst().orElseThrow();
        try {
            await().atMost(FENCING_LIMIT).ignoreExceptions()
                    .until(() -> offline(ClusterProbe.leadersSeenBy(cluster.bootstrapServers(survivor), topic), victimPartitions));
        } finally {
            cluster.resume(victim);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledBy(leaders(cluster.bootstrapServers(), topic), victim)).isEqualTo(victimPartitions));
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of("linger.ms", 0))) {
            sendToEveryPartition(producer, topic, acks, 20, 5);
        }
        assertThat(acks.failures()).isEmpty();
        assertTopicHoldsExactly(topic, acks);
    }

    /** Creates {@code topic} (RF 1) and returns the partitions {@code nodeId} leads, at least one. */
    private static Set<Integer> createTopicLedInPartBy(String topic, int nodeId) throws Exception {
        ClusterProbe.createTopic(cluster.bootstrapServers(), topic, PARTITIONS);
        Set<Integer> partitions = ledBy(leaders(cluster.bootstrapServers(), topic), nodeId);
        assertThat(partitions).as("partitions of %s led by node %d", topic, nodeId).isNotEmpty();
        return partitions;
    }

    /** Every acknowledged record is at its offset, and the topic holds nothing else. */
    private static void assertTopicHoldsExactly(String topic, Acknowledgements acks) {
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(cluster.bootstrapServers(), topic);
        ReadBackAssertions.assertEveryAcknowledgedRecordAtItsOffset(records, acks.acknowledged());
        assertThat(records).hasSize(acks.acknowledgedCount());
    }

    /** A node other than the active controller: the tests here are about brokers, not the quorum. */
    private static int victim() {
        int controller = cluster.activeControllerId();
        return cluster.nodeIds().stream().filter(id -> id != controller).max(Integer::compare).orElseThrow();
    }

    private static String survivorsBootstrap(int victim) {
        return cluster.nodeIds().stream().filter(id -> id != victim).map(cluster::bootstrapServers).collect(Collectors.joining(","));
    }

    private static boolean offline(Map<Integer, Integer> leaders, Set<Integer> partitions) {
        return partitions.stream().allMatch(partition -> leaders.get(partition) == NO_LEADER);
    }

    private static Set<Integer> otherPartitions(Set<Integer> partitions) {
        return java.util.stream.IntStream.range(0, PARTITIONS).boxed().filter(p -> !partitions.contains(p)).collect(Collectors.toSet());
    }

    private static void sendToEveryPartition(KafkaProducer<String, String> producer, String topic, Acknowledgements acks, int firstRound,
                                             int rounds) throws Exception {
        Set<Integer> all = otherPartitions(Set.of());
        for (int round = firstRound; round < firstRound + rounds; round++) {
            sendToPartitions(producer, topic, acks, all, round);
        }
    }

    /** One record to each partition, each waited for: an acknowledged record is then known to be written. */
    private static void sendToPartitions(KafkaProducer<String, String> producer, String topic, Acknowledgements acks, Set<Integer> partitions,
                                         int round) throws Exception {
        for (int partition : partitions) {
            String value = "p" + partition + "-r" + round;
            producer.send(new ProducerRecord<>(topic, partition, value, value), acks.callbackFor(value, value)).get();
        }
    }

    private static void sendAsync(KafkaProducer<String, String> producer, String topic, int partition, String value, Acknowledgements acks) {
        producer.send(new ProducerRecord<>(topic, partition, value, value), acks.callbackFor(value, value));
    }

    private static void consume(String topic, Map<String, Integer> consumed, AtomicBoolean consuming) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(cluster.bootstrapServers(),
                Map.of("group.id", topic + "-readers", "enable.auto.commit", "true", "auto.commit.interval.ms", 200))) {
            consumer.subscribe(List.of(topic));
            while (consuming.get()) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> consumed.merge(record.value(), 1, Integer::sum));
            }
        }
    }
}
