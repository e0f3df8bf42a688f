package io.runnel.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.CrashableCluster;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.check.SentTransaction;
import io.runnel.testkit.check.TransactionOutcome;
import io.runnel.testkit.check.TransactionalCheckResult;
import io.runnel.testkit.check.TransactionalHistoryChecker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker that coordinates a transactional id killed with SIGKILL (issue 12, piece 12; section 7.5 of
 * docs/transactions.md), three broker processes, {@code __transaction_state} and the data topic of replication
 * factor 3 and min ISR 2. Each round commits and aborts a transaction, then kills the coordinator's broker in one
 * of five ways: right after {@code commitTransaction()} returned (the new coordinator must complete the
 * acknowledged commit); the same with the connections it opens to the other brokers cut between the
 * records and the commit, so that its markers to the partitions they lead cannot arrive and the new coordinator must resend
 * them (the third row of section 7.5); the same again with the commit's answer lost after PrepareCommit was replicated,
 * so that the producer's commit is a retry through the new coordinator (the second row); with a transaction open, whose producer is then replaced (the new instance's
 * {@code initTransactions()} aborts it); with a transaction open, which its producer then commits through
 * the new coordinator. The killed broker comes back before the next kill. A read_committed reader's view of
 * the whole topic is then judged by {@link TransactionalHistoryChecker}. One round in CI (without the plain
 * kill after a commit), {@link FaultProfile#rounds()} rounds of all five when soaking. With
 * {@code -Drunnel.it.reference.kafka-libs} it runs against three Apache Kafka processes on the same layout
 * ({@link CrashableCluster}).
 */
class TxnCoordinatorKillIT {

    private static final String TOPIC = "coordinator-kill";
    private static final String TRANSACTIONAL_ID = "coordinator-kill";
    private static final int PARTITIONS = 6;
    private static final int RECORDS_PER_PARTITION = 5;
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);
    private static final Map<String, Object> READ_COMMITTED = Map.of("isolation.level", "read_committed");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private CrashableCluster cluster;
    private final List<SentTransaction> history = new ArrayList<>();
    private KafkaProducer<String, String> producer;
    private int transactions;

    /** The moment of a round's kill. */
    private enum Kill { AFTER_COMMIT, AFTER_COMMIT_WITH_MARKERS_HELD, COMMIT_ANSWER_LOST, OPEN_THEN_REPLACED, OPEN_THEN_COMMITTED }

    @Test
    void shouldCompleteCommitsAndAbortOpenTransactionsWhenTheCoordinatorsBrokerIsKilled() throws Exception {
        try (CrashableCluster started = CrashableCluster.startWithLinks(dir, 3, Map.of("runnel.transactions.enable", "true",
                "transaction.state.log.num.partitions", "3", "transaction.state.log.replication.factor", "3",
                "transaction.state.log.min.isr", "2", "offsets.topic.num.partitions", "3"))) {
            cluster = started;
            System.out.println("TxnCoordinatorKillIT: against " + cluster);
            try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
            }
            producer = newProducer();
            try {
                runRounds();
            } finally {
                producer.close(Duration.ZERO);
            }
            // A commit is acknowledged once decided; each partition shows it when its marker lands.
            awaitNoOpenTransaction();
            TransactionalCheckResult result = TransactionalHistoryChecker.check(history, readCommitted());
            System.out.println("TxnCoordinatorKillIT: " + result);
            assertThat(result.valid()).as(result.describe()).isTrue();
            assertThat(result.committed()).isGreaterThanOrEqualTo(2 * kills().size());
        }
    }

    /**
     * Each round: a commit, an abort, then one kill of each kind. The killed broker comes back, in sync, before
     * the next kill; the last one stays down, so the final commit runs on two brokers.
     */
    private void runRounds() throws Exception {
        int down = -1;
        for (int round = 0; round < FaultProfile.rounds(); round++) {
            for (Kill kill : kills()) {
                if (down != -1) {
                    cluster.restart(down);
                    awaitFullyInSyncAndBalanced();
                }
                transaction(TransactionOutcome.COMMITTED);
                transaction(TransactionOutcome.ABORTED);
                down = coordinator();
                killDuring(kill, down);
                awaitNoOpenTransaction();
            }
        }
        transaction(TransactionOutcome.COMMITTED);
    }

    private void killDuring(Kill kill, int coordinator) throws Exception {
        switch (kill) {
            case AFTER_COMMIT -> {
                transaction(TransactionOutcome.COMMITTED);
                cluster.kill(coordinator);
            }
            case AFTER_COMMIT_WITH_MARKERS_HELD -> {
                // Cut once the records are in (its own fetches as a follower hang too, which would hold acks=all).
                // The others still fetch __transaction_state from it, so EndTxn is answered once PrepareCommit is
                // replicated, and it still heartbeats, so it stays coordinator; the markers it sends the others hang:
                // only the next coordinator can complete the commit.
                Map<Integer, List<String>> values = sendOpenTransaction();
                cutLinksFrom(coordinator);
                producer.commitTransaction();
                history.add(new SentTransaction(TRANSACTIONAL_ID, TransactionOutcome.COMMITTED, values));
                assertThat(openPartitions()).as("partitions whose commit waits for a marker, before the kill").isNotEmpty();
                cluster.kill(coordinator);
                cluster.links().heal(coordinator);
            }
            case COMMIT_ANSWER_LOST -> {
                // Row 2 of section 7.5, deterministically: the commit's first EndTxn is the test's own, with the
                // producer's id and epoch, and its answer, which comes only once PrepareCommit is replicated, reaches
                // the test, not the producer. The coordinator dies with the markers held; the producer's own
                // commitTransaction() is then the retry of a request whose answer was lost, and must succeed.
                Map<Integer, List<String>> values = sendOpenTransaction();
                cutLinksFrom(coordinator);
                assertThat(commitAsTheProducer(coordinator)).isEqualTo(Errors.NONE);
                history.add(new SentTransaction(TRANSACTIONAL_ID, TransactionOutcome.COMMITTED, values));
                cluster.kill(coordinator);
                cluster.links().heal(coordinator);
                producer.commitTransaction();
            }
            case OPEN_THEN_REPLACED -> {
                Map<Integer, List<String>> values = sendOpenTransaction();
                cluster.kill(coordinator);
                history.add(new SentTransaction(TRANSACTIONAL_ID, TransactionOutcome.ABORTED, values));
                replaceProducer();
            }
            case OPEN_THEN_COMMITTED -> {
                Map<Integer, List<String>> values = sendOpenTransaction();
                cluster.kill(coordinator);
                commitOrReplace(values);
            }
        }
    }

    /**
     * The kinds of kill a round makes: all when soaking; in CI not the plain kill after a commit, which the kill
     * with markers held covers more strictly, to keep the class near a minute.
     */
    private static Set<Kill> kills() {
        return FaultProfile.soak() ? EnumSet.allOf(Kill.class) : EnumSet.complementOf(EnumSet.of(Kill.AFTER_COMMIT));
    }

    /** Cuts the connections a node opens to the other brokers (its marker requests among them), not those they open to it. */
    private void cutLinksFrom(int nodeId) {
        for (int other : cluster.nodeIds()) {
            if (other != nodeId) {
                cluster.links().cutInterBroker(nodeId, other);
            }
        }
    }

    /** Runs one whole transaction, every partition a few records, and records it as sent. */
    private void transaction(TransactionOutcome outcome) {
        Map<Integer, List<String>> values = sendOpenTransaction();
        if (outcome == TransactionOutcome.COMMITTED) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
        history.add(new SentTransaction(TRANSACTIONAL_ID, outcome, values));
    }

    /** Begins a transaction and sends its records, acknowledged by every in-sync replica (flushed), not committed. */
    private Map<Integer, List<String>> sendOpenTransaction() {
        int number = transactions++;
        Map<Integer, List<String>> values = new TreeMap<>();
        producer.beginTransaction();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                String value = "t" + number + "-p" + partition + "-" + i;
                producer.send(new ProducerRecord<>(TOPIC, partition, "k", value));
                sent.add(value);
            }
            values.put(partition, sent);
        }
        producer.flush();
        return values;
    }

    /** Sends the open transaction's EndTxn (commit) to the coordinator as the producer would, and returns the answer's error. */
    private Errors commitAsTheProducer(int coordinator) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            TransactionDescription open = admin.describeTransactions(List.of(TRANSACTIONAL_ID)).description(TRANSACTIONAL_ID).get();
            Node node = admin.describeCluster().nodes().get().stream().filter(n -> n.id() == coordinator).findFirst().orElseThrow();
            try (RawKafkaConnection connection = RawKafkaConnection.open(node.host() + ":" + node.port())) {
                EndTxnResponseData answer = connection.call(ApiKeys.END_TXN, ApiKeys.END_TXN.latestVersion(), new EndTxnRequestData()
                        .setTransactionalId(TRANSACTIONAL_ID).setProducerId(open.producerId()).setProducerEpoch((short) open.producerEpoch())
                        .setCommitted(true));
                return Errors.forCode(answer.errorCode());
            }
        }
    }

    /** Commits through the new coordinator; a commit that fails is of unknown outcome and costs the producer. */
    private void commitOrReplace(Map<Integer, List<String>> values) {
        try {
            producer.commitTransaction();
            history.add(new SentTransaction(TRANSACTIONAL_ID, TransactionOutcome.COMMITTED, values));
        } catch (KafkaException e) {
            System.out.println("TxnCoordinatorKillIT: commit after the coordinator's kill failed: " + e);
            history.add(new SentTransaction(TRANSACTIONAL_ID, TransactionOutcome.UNKNOWN, values));
            replaceProducer();
        }
    }

    /** A new producer instance of the same transactional id: its initTransactions() fences the old one and ends its transaction. */
    private void replaceProducer() {
        producer.close(Duration.ZERO);
        producer = newProducer();
    }

    private KafkaProducer<String, String> newProducer() {
        KafkaProducer<String, String> created = KafkaClients.producer(cluster.bootstrapServers(),
                Map.of("transactional.id", TRANSACTIONAL_ID, "max.block.ms", "60000"));
        created.initTransactions();
        return created;
    }

    private int coordinator() throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            return admin.describeTransactions(List.of(TRANSACTIONAL_ID)).description(TRANSACTIONAL_ID).get().coordinatorId();
        }
    }

    /** The partitions whose last stable offset is below their end offset: a transaction is open there. */
    private List<TopicPartition> openPartitions() {
        Map<TopicPartition, Long> stable = TopicReader.endOffsets(cluster.bootstrapServers(), TOPIC, READ_COMMITTED);
        Map<TopicPartition, Long> ends = TopicReader.endOffsets(cluster.bootstrapServers(), TOPIC);
        return stable.keySet().stream().filter(partition -> stable.get(partition) < ends.get(partition)).toList();
    }

    /** Waits until every partition's last stable offset is its high watermark: every transaction completed. */
    private void awaitNoOpenTransaction() {
        await().atMost(SETTLE_LIMIT).ignoreExceptions().untilAsserted(() -> assertThat(openPartitions()).isEmpty());
    }

    /**
     * Waits until every replica of the data topic and of {@code __transaction_state} is back in sync, so the
     * next kill keeps a quorum, then gives every partition its preferred leader back, so that the next
     * coordinator does not lead every data partition itself (its markers would all be local).
     */
    private void awaitFullyInSyncAndBalanced() {
        List<String> topics = List.of(TOPIC, "__transaction_state");
        await().atMost(SETTLE_LIMIT).ignoreExceptions().untilAsserted(() -> {
            try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
                assertThat(admin.describeTopics(topics).allTopicNames().get().values()).allSatisfy(topic -> assertThat(topic.partitions())
                        .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3)));
                admin.electLeaders(ElectionType.PREFERRED, null).partitions().get();
                assertThat(admin.describeTopics(topics).allTopicNames().get().values()).allSatisfy(topic -> assertThat(topic.partitions())
                        .allSatisfy(partition -> assertThat(partition.leader().id()).isEqualTo(partition.replicas().get(0).id())));
            }
        });
    }

    private Map<Integer, List<String>> readCommitted() {
        Map<Integer, List<String>> read = new HashMap<>();
        for (ConsumerRecord<String, String> record : TopicReader.readAll(cluster.bootstrapServers(), TOPIC, READ_COMMITTED)) {
            read.computeIfAbsent(record.partition(), partition -> new ArrayList<>()).add(record.value());
        }
        return read;
    }
}
