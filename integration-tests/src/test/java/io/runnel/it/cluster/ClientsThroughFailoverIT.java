package io.runnel.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runnel.it.support.AcknowledgedRecord;
import io.runnel.it.support.Acknowledgements;
import io.runnel.it.support.ClientProcess;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.ReadBackAssertions;
import io.runnel.it.support.SteadyStream;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.BrokerProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients through the kill of a partition leader (issue 11, point 4): on three broker processes, a
 * topic of replication factor 3 and {@code min.insync.replicas=2} whose partitions are all led by one
 * broker (not the active controller). Each client produces a steady stream of keyed, unique records
 * (idempotent, acks=all) while consumers read; mid-stream the leader gets SIGKILL, the stream goes on
 * through the election of a new leader from the ISR, the killed broker is started again and rejoins the
 * ISR, and the stream goes on a little longer. Then:
 * <ul>
 *   <li>the producer reported no error (beyond its own retries) and every record was acknowledged;</li>
 *   <li>the log holds every record exactly once (read back with a group-less Java consumer, and for
 *       kcat with kcat itself);</li>
 *   <li>the consumers that ran through the kill read every record, and twice only where the client's
 *       contract allows it (see the Java group scenario).</li>
 * </ul>
 * The brokers' session timeout is 3 s and their heartbeat 500 ms, so the controller fences the killed
 * broker quickly. Each scenario prints one {@code FAILOVER} line (failover and stall times, counts) to
 * the test output. Scenarios of clients that are not installed (kcat, KafkaJS in
 * {@code ~/.cache/runnel/kafkajs}, as {@code .ci/run} installs them) are skipped. The cluster's
 * directory, with each node's {@code node-<id>.broker.log}, is kept when a test fails.
 */
class ClientsThroughFailoverIT {

    private static final int PARTITIONS = 3;
    private static final int OFFSETS_PARTITIONS = 6;
    /** The stream: 5 records every 20 ms, 250 a second. */
    private static final int PER_TICK = 5;
    private static final Duration TICK = Duration.ofMillis(20);
    /** How many more acknowledgements show that a producer is streaming (again): about a second's worth. */
    private static final int PROGRESS = 250;
    private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(60);
    private static final Path KCAT = Path.of("/usr/bin/kcat");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tempDir;

    private static BrokerProcessCluster cluster;

    private String scenario;

    @BeforeAll
    static void startCluster() {
        cluster = BrokerProcessCluster.start(tempDir, 3, Map.of(
                "broker.session.timeout.ms", "3000",
                "broker.heartbeat.interval.ms", "500",
                "offsets.topic.num.partitions", Integer.toString(OFFSETS_PARTITIONS),
                "group.initial.rebalance.delay.ms", "0"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void awaitHealthyCluster(TestInfo test) {
        scenario = test.getTestMethod().orElseThrow().getName();
        // A node killed by an earlier scenario is back, but may still be catching up on some partitions.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            try (Admin admin = ClusterProbe.admin(cluster.bootstrapServers(), 10_000)) {
                Set<String> topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true)).names().get();
                for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
                    for (TopicPartitionInfo partition : topic.partitions()) {
                        assertThat(partition.isr()).as("ISR of %s-%d", topic.name(), partition.partition())
                                .hasSameSizeAs(partition.replicas());
                    }
                }
            }
        });
    }

    @AfterEach
    void restartStoppedNodes() {
        int[] stopped = cluster.nodeIds().stream().filter(id -> !cluster.runningNodeIds().contains(id)).mapToInt(Integer::intValue).toArray();
        if (stopped.length > 0) {
            cluster.restart(stopped);
        }
    }

    /**
     * kcat (librdkafka) producing from its standard input with {@code enable.idempotence=true} and
     * {@code acks=all}, and a kcat consumer (no group, from the beginning) reading all along: the producer
     * exits 0 (kcat exits 1 on any delivery failure or fatal idempotence error), every line fed to it is
     * delivered, the running consumer and a final {@code kcat -C -e} each read every line exactly once.
     */
    @Test
    void kcatIdempotentProducerAndConsumerKeepWorkingThroughTheKillOfTheLeader() throws Exception {
        assumeTrue(Files.isExecutable(KCAT), "kcat is not installed");
        String topic = "kcat-failover";
        int victim = victim(false);
        createTopicLedBy(topic, victim);
        String bootstrap = cluster.bootstrapServers();

        Failover failover;
        int sent;
        try (ClientProcess consumer = ClientProcess.start("kcat-consumer", List.of(KCAT.toString(), "-b", bootstrap, "-C", "-t", topic,
                "-o", "beginning", "-u", "-f", "%k=%s\\n"), Map.of());
             ClientProcess producer = ClientProcess.start("kcat-producer", List.of(KCAT.toString(), "-b", bootstrap, "-P", "-t", topic,
                     "-K:", "-v", "-v", "-X", "enable.idempotence=true", "-X", "acks=all", "-X", "message.timeout.ms=120000",
                     "-X", "linger.ms=5"), Map.of());
             SteadyStream stream = SteadyStream.start("kcat-stream", PER_TICK, TICK, (from, to) ->
                     producer.write(IntStream.range(from, to).mapToObj(i -> "key-" + i + ":kcat-" + i).toList()))) {
            IntSupplier delivered = () -> (int) producer.stderr().stream().filter(line -> isKcatDelivery(line.text())).count();
            failover = killLeaderMidStream(topic, victim, delivered, () -> checkAlive(producer, consumer));
            sent = stream.stop();
            producer.closeInput();
            Integer exitCode = producer.awaitExit(Duration.ofSeconds(150));
            assertThat(exitCode).as(producer.tail(30)).isNotNull().isZero();
            assertThat(producer.stderr()).as("kcat delivery failures").noneMatch(line -> line.text().contains("Delivery failed"));
            assertThat(delivered.getAsInt()).as(producer.tail(10)).isEqualTo(sent);

            Set<String> expected = IntStream.range(0, sent).mapToObj(i -> "key-" + i + "=kcat-" + i).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                checkAlive(consumer);
                assertThat(missing(expected, lineSet(consumer))).as("lines the running kcat consumer has not read").isEmpty();
            });
            consumer.terminate();
            assertThat(consumer.awaitExit(Duration.ofSeconds(30))).as(consumer.tail(20)).isZero();
            List<String> read = consumer.stdout().stream().map(ClientProcess.Line::text).toList();
            assertThat(duplicates(read)).as("lines the running kcat consumer read more than once").isEmpty();
            assertThat(read.size()).as("lines the running kcat consumer read").isEqualTo(sent);

            List<Long> deliveries = producer.stderr().stream().filter(line -> isKcatDelivery(line.text())).map(ClientProcess.Line::nanos).toList();
            List<Long> reads = consumer.stdout().stream().map(ClientProcess.Line::nanos).toList();
            report(failover, sent, read.size(), deliveries, reads, "");
        }

        try (ClientProcess readBack = ClientProcess.start("kcat-read-back", List.of(KCAT.toString(), "-b", bootstrap, "-C", "-t", topic,
                "-o", "beginning", "-e", "-q", "-f", "%k=%s\\n"), Map.of())) {
            assertThat(readBack.awaitExit(Duration.ofSeconds(60))).as(readBack.tail(20)).isZero();
            List<String> read = readBack.stdout().stream().map(ClientProcess.Line::text).toList();
            assertThat(duplicates(read)).as("lines read back more than once").isEmpty();
            assertThat(missing(IntStream.range(0, sent).mapToObj(i -> "key-" + i + "=kcat-" + i).toList(), Set.copyOf(read)))
                    .as("lines kcat did not read back").isEmpty();
            assertThat(read.size()).as("lines read back").isEqualTo(sent);
        }
        assertLogHoldsEachOnce(topic, IntStream.range(0, sent).mapToObj(i -> "kcat-" + i).toList());
    }

    /**
     * KafkaJS: a script written here produces with an idempotent producer (acks -1, retries) one batch of
     * 10 at a time, awaiting each, while a consumer of a group (whose coordinator is not the victim) reads
     * from the beginning; told to stop, it waits until the group has read every acknowledged message and
     * reports. No send fails, nothing is missing, the script exits 0, and the log holds each message once;
     * the group reads at least once.
     */
    @Test
    void kafkaJsIdempotentProducerAndGroupKeepWorkingThroughTheKillOfTheLeader() throws Exception {
        Path kafkajs = Path.of(System.getProperty("runnel.kafkajs.dir", System.getProperty("user.home") + "/.cache/runnel/kafkajs"),
                "node_modules", "kafkajs");
        assumeTrue(Files.isDirectory(kafkajs), "KafkaJS is not installed in " + kafkajs.getParent());
        String topic = "kafkajs-failover";
        int victim = victim(false);
        createTopicLedBy(topic, victim);
        String group = groupCoordinatedBy(id -> id != victim, "kafkajs-failover-group");
        Path script = tempDir.resolve("kafkajs-failover.js");
        Files.writeString(script, KAFKAJS_SCRIPT);

        Failover failover;
        String result;
        try (ClientProcess node = ClientProcess.start("kafkajs", List.of("node", script.toString(), cluster.bootstrapServers(), topic, group, "10"),
                Map.of("NODE_PATH", kafkajs.getParent().toString()))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(node.countStdout("ready"::equals)).as(node.tail(20)).isOne());
            failover = killLeaderMidStream(topic, victim, () -> lastAcked(node), () -> checkAlive(node));
            node.write(List.of("stop"));
            Integer exitCode = node.awaitExit(Duration.ofSeconds(120));
            List<String> out = node.stdout().stream().map(ClientProcess.Line::text).toList();
            assertThat(out).as("what the script reported").noneMatch(line -> line.startsWith("FAILED") || line.startsWith("CRASH"));
            assertThat(exitCode).as(node.tail(40)).isNotNull().isZero();
            result = out.stream().filter(line -> line.startsWith("RESULT ")).findFirst().orElseThrow();
            Map<String, Integer> counts = resultCounts(result);
            // The group consumer promises at-least-once: a KafkaJS consumer that starts over from its
            // committed offset reads again what it had read since its last commit. One CI run of 2026-12-07 saw 8
            // re-deliveries with no crash reported (cause not yet found). What must hold exactly once is the
            // log, checked below; re-deliveries are reported, and bounded to a tenth of what was produced.
            assertThat(counts).as(result).containsEntry("failures", 0).containsEntry("missing", 0);
            assertThat(counts.get("duplicates")).as(String.join("\n", out)).isLessThanOrEqualTo(counts.get("produced") / 10);
            assertThat(counts.get("consumed")).as(result).isEqualTo(counts.get("produced"));
            List<Long> acked = node.stdout().stream().filter(line -> line.text().startsWith("acked ")).map(ClientProcess.Line::nanos).toList();
            report(failover, counts.get("produced"), counts.get("consumed"), acked, List.of(), result);
            assertLogHoldsEachOnce(topic, IntStream.range(0, counts.get("produced")).mapToObj(i -> "kafkajs-" + i).toList());
        }
    }

    /**
     * kafka-clients: an idempotent acks=all producer and a group of two members that commit synchronously
     * after each poll's records are processed; the victim leads the topic's partitions and is also the
     * group's coordinator, so the group fails over too. Every record is acknowledged and in the log once,
     * and the group reads every one. Duplicates: the group promises at-least-once. A member commits a
     * batch only after processing it, so a record may be read again only if the commit of the batch that
     * read it did not succeed (the group rebalanced under it, {@link CommitFailedException} or
     * {@link RebalanceInProgressException}); a record read again after its batch's commit succeeded would
     * be a lost commit. With a coordinator that carries the group over (Kafka loads the group's
     * generation and members from {@code __consumer_offsets}), no commit fails and each record is read
     * exactly once; the assertion below demands exactly once except for the reads of failed commits.
     * No poll fails, no commit fails otherwise, and at the end the committed offsets are the log ends.
     */
    @Test
    void javaIdempotentProducerAndTwoMemberGroupKeepWorkingThroughTheKillOfTheLeaderAndCoordinator() throws Exception {
        String topic = "java-failover";
        int victim = victim(true);
        createTopicLedBy(topic, victim);
        String group = groupCoordinatedBy(id -> id == victim, "java-failover-group");
        String bootstrap = cluster.bootstrapServers();

        GroupRun groupRun = new GroupRun(bootstrap, topic, group);
        groupRun.start(2);
        Acknowledgements acks = new Acknowledgements();
        ConcurrentLinkedQueue<Long> ackTimes = new ConcurrentLinkedQueue<>();
        Failover failover;
        int sent;
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, Map.of("enable.idempotence", "true", "acks", "all",
                "linger.ms", 5, "delivery.timeout.ms", 120_000, "request.timeout.ms", 10_000));
             SteadyStream stream = SteadyStream.start("java-stream", PER_TICK, TICK, (from, to) -> {
                 for (int i = from; i < to; i++) {
                     String key = "key-" + i;
                     String value = "java-" + i;
                     var callback = acks.callbackFor(key, value);
                     producer.send(new ProducerRecord<>(topic, key, value), (metadata, exception) -> {
                         callback.onCompletion(metadata, exception);
                         if (exception == null) {
                             ackTimes.add(System.nanoTime());
                         }
                     });
                 }
             })) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(groupRun.assignedPartitions()).hasSize(PARTITIONS));
            failover = killLeaderMidStream(topic, victim, acks::acknowledgedCount, groupRun::checkNoErrors);
            sent = stream.stop();
            producer.flush();
        }
        try {
            assertThat(acks.failures()).as("send failures").isEmpty();
            assertThat(acks.acknowledgedCount()).isEqualTo(sent);
            Set<String> acknowledged = acks.acknowledged().stream().map(AcknowledgedRecord::value).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                groupRun.checkNoErrors();
                assertThat(missing(acknowledged, groupRun.deliveries.keySet())).as("acknowledged records the group has not read").isEmpty();
            });
            Map<TopicPartition, Long> ends = TopicReader.endOffsets(bootstrap, topic);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committedOffsets(group, topic)).isEqualTo(ends));
        } finally {
            groupRun.stop();
        }
        groupRun.checkNoErrors();

        List<String> lostCommits = new ArrayList<>();
        int readTwice = 0;
        for (String value : acks.acknowledged().stream().map(AcknowledgedRecord::value).toList()) {
            List<Delivery> reads = groupRun.deliveries.get(value);
            if (reads.size() > 1) {
                readTwice++;
            }
            for (Delivery earlier : reads.subList(0, reads.size() - 1)) {
                if (groupRun.committedBatches.contains(earlier.batch())) {
                    lostCommits.add(value + " read again after its batch's commit succeeded: " + reads);
                }
            }
        }
        assertThat(lostCommits).as("records read again although the commit after reading them succeeded").isEmpty();
        report(failover, sent, groupRun.deliveries.size(), List.copyOf(ackTimes), List.copyOf(groupRun.pollTimes),
                "reads=" + groupRun.reads.get() + " readTwice=" + readTwice + " failedCommits=" + groupRun.failedCommits
                        + " assignments=" + groupRun.assignments.get());

        List<ConsumerRecord<String, String>> log = TopicReader.readAll(bootstrap, topic);
        ReadBackAssertions.assertEveryAcknowledgedRecordAtItsOffset(log, acks.acknowledged());
        assertThat(log.size()).as("records in the log").isEqualTo(sent);
        assertThat(duplicates(log.stream().map(ConsumerRecord::value).toList())).as("records in the log twice").isEmpty();
    }

    // --- the failover drill ---

    /** When things happened in a drill, from the kill (ms); the victim and the producer's acknowledged count at the kill. */
    private record Failover(int victim, long killNanos, int ackedAtKill, long newLeaderMs, long producerResumedMs, long restartedMs,
                            long isrRejoinedMs, long restartNanos) {
    }

    /**
     * With a stream running: once the producer has made progress, kills {@code victim} (the leader of every
     * partition of {@code topic}), waits until a survivor names new leaders and the producer makes progress
     * again, starts the victim again, waits until it is back in every partition's ISR and the producer
     * makes progress once more. {@code check} runs at every poll (clients still alive, no errors).
     */
    private Failover killLeaderMidStream(String topic, int victim, IntSupplier acknowledged, Runnable check) {
        Duration poll = Duration.ofMillis(50);
        await().atMost(FAILOVER_LIMIT).pollInterval(poll).untilAsserted(() -> {
            check.run();
            assertThat(acknowledged.getAsInt()).isGreaterThanOrEqualTo(PROGRESS);
        });
        int survivor = cluster.nodeIds().stream().filter(id -> id != victim).findFirst().orElseThrow();
        int ackedAtKill = acknowledged.getAsInt();
        long kill = System.nanoTime();
        cluster.kill(victim);
        await().atMost(FAILOVER_LIMIT).pollInterval(poll).ignoreExceptions().until(() -> {
            Map<Integer, Integer> leaders = ClusterProbe.leadersSeenBy(cluster.bootstrapServers(survivor), topic);
            return leaders.size() == PARTITIONS && leaders.values().stream().allMatch(leader -> leader != victim && leader != ClusterProbe.NO_LEADER);
        });
        long newLeader = System.nanoTime();
        await().atMost(FAILOVER_LIMIT).pollInterval(poll).untilAsserted(() -> {
            check.run();
            assertThat(acknowledged.getAsInt()).isGreaterThanOrEqualTo(ackedAtKill + PROGRESS);
        });
        long resumed = System.nanoTime();
        cluster.restart(victim);
        long restarted = System.nanoTime();
        await().atMost(FAILOVER_LIMIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            check.run();
            assertThat(isrSizes(topic)).containsOnly(3);
        });
        long rejoined = System.nanoTime();
        int ackedAtRejoin = acknowledged.getAsInt();
        await().atMost(FAILOVER_LIMIT).pollInterval(poll).untilAsserted(() -> {
            check.run();
            assertThat(acknowledged.getAsInt()).isGreaterThanOrEqualTo(ackedAtRejoin + PROGRESS);
        });
        return new Failover(victim, kill, ackedAtKill, millis(newLeader - kill), millis(resumed - kill), millis(restarted - resumed),
                millis(rejoined - restarted), resumed);
    }

    /** Prints the scenario's figures: failover times, and the longest gaps between the producer's acknowledgements and the consumers' reads. */
    private void report(Failover failover, int produced, int consumed, List<Long> acks, List<Long> reads, String extra) {
        System.out.printf("FAILOVER %s victim=%d ackedAtKill=%d newLeader=%dms producerResumed=%dms longestAckGapAfterKill=%dms "
                        + "longestReadGapAfterKill=%dms restart=%dms isrRejoined=%dms longestAckGapAfterRestart=%dms produced=%d consumed=%d %s%n",
                scenario, failover.victim(), failover.ackedAtKill(), failover.newLeaderMs(), failover.producerResumedMs(),
                longestGapMs(acks, failover.killNanos(), failover.restartNanos()), longestGapMs(reads, failover.killNanos(), failover.restartNanos()),
                failover.restartedMs(), failover.isrRejoinedMs(), longestGapMs(acks, failover.restartNanos(), Long.MAX_VALUE), produced, consumed, extra);
    }

    /** The longest gap between consecutive stamps that ends at or after {@code from} and starts before {@code to}. */
    private static long longestGapMs(List<Long> stamps, long from, long to) {
        List<Long> sorted = stamps.stream().sorted().toList();
        if (sorted.size() < 2) {
            return -1;
        }
        long longest = 0;
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i) >= from && sorted.get(i - 1) < to) {
                longest = Math.max(longest, sorted.get(i) - sorted.get(i - 1));
            }
        }
        return millis(longest);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    // --- cluster layout ---

    /**
     * A node other than the active controller (this is about partition leaders, not the quorum); with
     * {@code leadingOffsets}, one that also leads a partition of {@code __consumer_offsets}, so that a group
     * can be coordinated by it.
     */
    private static int victim(boolean leadingOffsets) throws Exception {
        int controller = cluster.activeControllerId();
        List<Integer> candidates = cluster.nodeIds().stream().filter(id -> id != controller).sorted().collect(Collectors.toList());
        if (leadingOffsets) {
            Collection<Integer> offsetsLeaders = offsetsLeaders().values();
            candidates.removeIf(id -> !offsetsLeaders.contains(id));
        }
        assertThat(candidates).as("nodes that may be the victim (controller %d)", controller).isNotEmpty();
        // Take turns: the node that led least recently.
        return candidates.get(VICTIMS.getAndIncrement() % candidates.size());
    }

    private static final AtomicInteger VICTIMS = new AtomicInteger();

    /** Creates {@code topic} with every partition's replicas {@code leader} first, so it leads them all, and waits until it does with a full ISR. */
    private static void createTopicLedBy(String topic, int leader) throws Exception {
        List<Integer> others = cluster.nodeIds().stream().filter(id -> id != leader).sorted().toList();
        Map<Integer, List<Integer>> assignment = new TreeMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            assignment.put(partition, List.of(leader, others.get(partition % 2), others.get((partition + 1) % 2)));
        }
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, assignment).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(ClusterProbe.leaders(cluster.bootstrapServers(), topic).values()).hasSize(PARTITIONS).containsOnly(leader);
            assertThat(isrSizes(topic)).containsOnly(3);
        });
    }

    private static List<Integer> isrSizes(String topic) throws Exception {
        try (Admin admin = ClusterProbe.admin(cluster.bootstrapServers(), 5_000)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(partition -> partition.isr().size()).toList();
        }
    }

    /** Partition of {@code __consumer_offsets} to its leader, creating the topic first if needed (a FindCoordinator does). */
    private static Map<Integer, Integer> offsetsLeaders() throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                admin.listConsumerGroupOffsets("probe").partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<Integer, Integer> leaders = ClusterProbe.leaders(admin, "__consumer_offsets");
                assertThat(leaders).hasSize(OFFSETS_PARTITIONS).doesNotContainValue(ClusterProbe.NO_LEADER);
            });
            return ClusterProbe.leaders(admin, "__consumer_offsets");
        }
    }

    /** A group id whose coordinator (the leader of its {@code __consumer_offsets} partition) is a node {@code coordinator} accepts. */
    private static String groupCoordinatedBy(Predicate<Integer> coordinator, String prefix) throws Exception {
        Map<Integer, Integer> leaders = offsetsLeaders();
        for (int i = 0; i < 1_000; i++) {
            String group = prefix + "-" + i;
            int partition = (group.hashCode() & 0x7fffffff) % OFFSETS_PARTITIONS;
            if (coordinator.test(leaders.get(partition))) {
                return group;
            }
        }
        throw new AssertionError("no group id coordinated as wanted; offsets leaders " + leaders);
    }

    private static Map<TopicPartition, Long> committedOffsets(String group, String topic) throws Exception {
        try (Admin admin = ClusterProbe.admin(cluster.bootstrapServers(), 10_000)) {
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    committed.put(partition, offset.offset());
                }
            });
            return committed;
        }
    }

    // --- checks ---

    private static void assertLogHoldsEachOnce(String topic, List<String> values) {
        List<String> log = TopicReader.readAll(cluster.bootstrapServers(), topic).stream().map(ConsumerRecord::value).toList();
        assertThat(duplicates(log)).as("values in the log more than once").isEmpty();
        assertThat(missing(values, Set.copyOf(log))).as("values not in the log").isEmpty();
        assertThat(log.size()).as("values in the log").isEqualTo(values.size());
    }

    private static List<String> duplicates(List<String> values) {
        return values.stream().collect(Collectors.groupingBy(value -> value, TreeMap::new, Collectors.counting())).entrySet().stream()
                .filter(entry -> entry.getValue() > 1).map(entry -> entry.getKey() + " x" + entry.getValue()).toList();
    }

    /** The first 20 of {@code expected} that {@code actual} lacks, and how many it lacks. */
    private static List<String> missing(Collection<String> expected, Set<String> actual) {
        List<String> missing = expected.stream().filter(value -> !actual.contains(value)).sorted().toList();
        if (missing.size() <= 20) {
            return missing;
        }
        List<String> shown = new ArrayList<>(missing.subList(0, 20));
        shown.add("... " + missing.size() + " in all");
        return shown;
    }

    private static Set<String> lineSet(ClientProcess process) {
        return process.stdout().stream().map(ClientProcess.Line::text).collect(Collectors.toSet());
    }

    private static boolean isKcatDelivery(String line) {
        return line.startsWith("% Message delivered to partition");
    }

    private static void checkAlive(ClientProcess... processes) {
        for (ClientProcess process : processes) {
            assertThat(process.isAlive()).as("%s", process.tail(30)).isTrue();
        }
    }

    private static int lastAcked(ClientProcess node) {
        List<ClientProcess.Line> out = node.stdout();
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i).text().startsWith("acked ")) {
                return Integer.parseInt(out.get(i).text().substring("acked ".length()).trim());
            }
        }
        return 0;
    }

    /** {@code RESULT a=1 b=2} to {a=1, b=2}. */
    private static Map<String, Integer> resultCounts(String result) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String pair : result.substring("RESULT ".length()).trim().split(" ")) {
            String[] keyValue = pair.split("=");
            counts.put(keyValue[0], Integer.parseInt(keyValue[1]));
        }
        return counts;
    }

    // --- the Java group ---

    /** One read of a record by a group member: in which poll batch, at which partition and offset. */
    private record Delivery(String member, long batch, int partition, long offset) {
    }

    /**
     * Members of one group, each on a thread of its own: poll, record every record read, commit the batch's
     * offsets synchronously, note whether the commit succeeded.
     */
    private static final class GroupRun {
        private final String bootstrap;
        private final String topic;
        private final String group;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final Map<String, Set<TopicPartition>> assigned = new ConcurrentHashMap<>();
        final Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();
        final Set<Long> committedBatches = ConcurrentHashMap.newKeySet();
        final List<String> failedCommits = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<Long> pollTimes = new ConcurrentLinkedQueue<>();
        final AtomicLong batches = new AtomicLong();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger assignments = new AtomicInteger();

        GroupRun(String bootstrap, String topic, String group) {
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.group = group;
        }

        void start(int members) {
            for (int i = 1; i <= members; i++) {
                String member = "member-" + i;
                Thread thread = new Thread(() -> run(member), group + "-" + member);
                thread.start();
                threads.add(thread);
            }
        }

        Set<TopicPartition> assignedPartitions() {
            return assigned.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        }

        void checkNoErrors() {
            assertThat(errors).as("errors the group members' polls and commits threw").isEmpty();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }

        private void run(String member) {
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap, Map.of("group.id", group, "client.id", member,
                    "max.poll.records", 50, "enable.auto.commit", "false"))) {
                consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        assigned.put(member, Set.of());
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        assignments.incrementAndGet();
                        assigned.put(member, Set.copyOf(consumer.assignment()));
                    }
                });
                while (running.get()) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        continue;
                    }
                    pollTimes.add(System.nanoTime());
                    long batch = batches.incrementAndGet();
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (ConsumerRecord<String, String> record : records) {
                        deliveries.computeIfAbsent(record.value(), value -> new CopyOnWriteArrayList<>())
                                .add(new Delivery(member, batch, record.partition(), record.offset()));
                        reads.incrementAndGet();
                        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    }
                    try {
                        consumer.commitSync(offsets);
                        committedBatches.add(batch);
                    } catch (CommitFailedException | RebalanceInProgressException e) {
                        failedCommits.add(member + " batch " + batch + ": " + e.getClass().getSimpleName());
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }
    }

    /**
     * The KafkaJS client: a group consumer from the beginning, then an idempotent producer sending batches
     * of keyed messages one at a time until "stop" on stdin. Prints "ready", "acked N" after each batch,
     * "FAILED ..." for a send that failed, "CRASH ..." for a consumer crash, and at the end
     * "RESULT produced=.. failures=.. consumed=.. deliveries=.. duplicates=.. missing=.. crashes=..".
     * KafkaJS's own log goes to stderr.
     */
    private static final String KAFKAJS_SCRIPT = """
            // Written by ClientsThroughFailoverIT. Usage: node kafkajs-failover.js <brokers> <topic> <group> <batch size>
            const { Kafka, logLevel } = require('kafkajs');
            const readline = require('readline');

            const [brokers, topic, groupId, batchArg] = process.argv.slice(2);
            const batchSize = Number(batchArg);
            const logCreator = () => ({ namespace, label, log }) => {
              const { message, timestamp, logger, ...extra } = log;
              process.stderr.write(`${new Date().toISOString()} ${label} [${namespace}] ${message} ${JSON.stringify(extra)}\\n`);
            };
            const retry = { initialRetryTime: 100, maxRetryTime: 1000, retries: 60 };
            const kafka = new Kafka({ clientId: 'runnel-failover-it', brokers: brokers.split(','), logLevel: logLevel.INFO, logCreator,
              retry, connectionTimeout: 1000, requestTimeout: 10000 });
            const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

            let stopRequested = false;
            readline.createInterface({ input: process.stdin }).on('line', (line) => {
              if (line.trim() === 'stop') stopRequested = true;
            });

            const deliveries = new Map();
            let crashes = 0;

            async function main() {
              const consumer = kafka.consumer({ groupId, retry, maxWaitTimeInMs: 200, sessionTimeout: 30000, heartbeatInterval: 1000 });
              consumer.on(consumer.events.CRASH, ({ payload }) => {
                crashes++;
                console.log(`CRASH ${payload.error.name}: ${payload.error.message} restart=${payload.restart}`);
              });
              let joined;
              const join = new Promise((resolve) => { joined = resolve; });
              consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
                console.log(`JOINED ${JSON.stringify(payload.memberAssignment)}`);
                joined();
              });
              await consumer.connect();
              await consumer.subscribe({ topic, fromBeginning: true });
              await consumer.run({
                eachMessage: async ({ message }) => {
                  const key = message.key.toString();
                  deliveries.set(key, (deliveries.get(key) || 0) + 1);
                },
              });
              await join;

              const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry });
              await producer.connect();
              console.log('ready');
              let produced = 0;
              let failures = 0;
              while (!stopRequested) {
                const messages = [];
                for (let i = produced; i < produced + batchSize; i++) {
                  messages.push({ key: `key-${i}`, value: `kafkajs-${i}` });
                }
                try {
                  await producer.send({ topic, acks: -1, messages });
                  produced += batchSize;
                  console.log(`acked ${produced}`);
                } catch (e) {
                  failures++;
                  console.log(`FAILED ${produced}..${produced + batchSize}: ${e.name}: ${e.message}`);
                  break;
                }
                await sleep(20);
              }
              await producer.disconnect();

              const missingKeys = () => {
                const missing = [];
                for (let i = 0; i < produced; i++) {
                  if (!deliveries.has(`key-${i}`)) missing.push(`key-${i}`);
                }
                return missing;
              };
              const deadline = Date.now() + 60000;
              while (missingKeys().length > 0 && Date.now() < deadline) {
                await sleep(100);
              }
              await consumer.disconnect();
              const missing = missingKeys();
              const duplicates = [...deliveries.entries()].filter(([, count]) => count > 1);
              let total = 0;
              deliveries.forEach((count) => { total += count; });
              if (missing.length > 0) console.log(`MISSING ${missing.slice(0, 20).join(' ')}`);
              if (duplicates.length > 0) console.log(`DUPLICATES ${duplicates.slice(0, 20).map(([key, count]) => `${key}x${count}`).join(' ')}`);
              console.log(`RESULT produced=${produced} failures=${failures} consumed=${deliveries.size} deliveries=${total} `
                + `duplicates=${duplicates.length} missing=${missing.length} crashes=${crashes}`);
            }

            main().then(() => process.exit(0), (error) => {
              console.log(`ERROR ${error.stack}`);
              process.exit(1);
            });
            """;
}
