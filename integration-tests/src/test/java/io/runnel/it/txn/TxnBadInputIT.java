package io.runnel.it.txn;

import static io.runnel.it.support.CoordinatorRetries.retrying;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.RawRequests.ProducerIdAndEpoch;
import io.runnel.it.support.TargetBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's bad input, sent as raw requests while a Java producer's transaction is open on the same
 * partition: each gets Kafka's error code, appends nothing, and the other transaction commits and is
 * read as if nothing happened. Every expected code is what Apache Kafka 4.3.1 answers
 * ({@link TargetBroker}: the class passes against it unchanged).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TxnBadInputIT {


    @TempDir
    static Path dataDir;

    private TargetBroker broker;
    private String bootstrap;

    @BeforeAll
    void startBroker() {
        broker = TargetBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3"));
        bootstrap = broker.bootstrapServers();
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldRefuseATransactionalBatchOfAProducerTheCoordinatorDoesNotKnow() {
        refusedWithoutHarm("unknown-producer", Errors.INVALID_PRODUCER_ID_MAPPING, (raw, topic) -> {
            String id = TargetBroker.unique("never-initialized");
            findCoordinator(raw, id);
            return produce(raw, id, topic, new ProducerIdAndEpoch(987_654_321L, (short) 0));
        });
    }

    @Test
    void shouldRefuseATransactionalBatchOfAStaleEpoch() {
        refusedWithoutHarm("stale-epoch", Errors.INVALID_PRODUCER_EPOCH, (raw, topic) -> {
            String id = TargetBroker.unique("stale");
            InitProducerIdResponseData first = initProducerId(raw, id, 60_000);
            InitProducerIdResponseData second = initProducerId(raw, id, 60_000);
            Errors stale = produce(raw, id, topic, new ProducerIdAndEpoch(first.producerId(), first.producerEpoch()));
            assertThat(second.producerEpoch()).isGreaterThan(first.producerEpoch());
            return stale;
        });
    }

    @Test
    void shouldRefuseToCommitATransactionThatIsNotOpen() {
        refusedWithoutHarm("not-open", Errors.INVALID_TXN_STATE, (raw, topic) -> {
            String id = TargetBroker.unique("idle");
            InitProducerIdResponseData producer = initProducerId(raw, id, 60_000);
            Errors firstProtocol = endTxn(raw, id, producer, true, (short) 3);
            Errors secondProtocol = endTxn(raw, id, producer, true, (short) 5);
            assertThat(secondProtocol).as("EndTxn v5").isEqualTo(firstProtocol);
            return firstProtocol;
        });
    }

    @Test
    void shouldRefuseATransactionTimeoutAboveTheMaximum() {
        refusedWithoutHarm("long-timeout", Errors.INVALID_TRANSACTION_TIMEOUT, (raw, topic) -> {
            String id = TargetBroker.unique("too-long");
            findCoordinator(raw, id);
            InitProducerIdResponseData answer = retrying(() -> raw.call(ApiKeys.INIT_PRODUCER_ID, (short) 4,
                    new InitProducerIdRequestData().setTransactionalId(id).setTransactionTimeoutMs(900_001)), InitProducerIdResponseData::errorCode);
            return Errors.forCode(answer.errorCode());
        });
    }

    @Test
    void shouldRefuseTransactionalOffsetsOfAStaleGenerationAndOfAnUnknownMember() {
        String inputTopic = topic("offsets-input");
        String group = TargetBroker.unique("offsets-group");
        try (KafkaConsumer<String, String> member = KafkaClients.consumer(bootstrap, Map.of("group.id", group))) {
            member.subscribe(List.of(inputTopic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });
            ConsumerGroupMetadata joined = member.groupMetadata();
            refusedWithoutHarm("offsets", Errors.ILLEGAL_GENERATION, (raw, topic) -> {
                String id = TargetBroker.unique("offsets-txn");
                InitProducerIdResponseData producer = initProducerId(raw, id, 60_000);
                findCoordinator(raw, group, (byte) 0);
                AddOffsetsToTxnResponseData added = retrying(() -> raw.call(ApiKeys.ADD_OFFSETS_TO_TXN, (short) 3, new AddOffsetsToTxnRequestData()
                        .setTransactionalId(id).setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                        .setGroupId(group)), AddOffsetsToTxnResponseData::errorCode);
                assertThat(added.errorCode()).isZero();
                Errors unknownMember = txnOffsetCommit(raw, id, producer, group, "nobody", joined.generationId(), inputTopic);
                Errors staleGeneration = txnOffsetCommit(raw, id, producer, group, joined.memberId(), joined.generationId() + 1, inputTopic);
                assertThat(unknownMember).as("unknown member").isEqualTo(Errors.UNKNOWN_MEMBER_ID);
                assertThat(endTxn(raw, id, producer, false, (short) 3)).isEqualTo(Errors.NONE);
                return staleGeneration;
            });
            assertThat(member.committed(Set.of(new TopicPartition(inputTopic, 0))).get(new TopicPartition(inputTopic, 0))).isNull();
        }
    }

    @Test
    void shouldWriteAMarkerOfAProducerNoTransactionKnowsAsKafkaDoesWithoutDisturbingTheOpenTransaction() {
        // The partition leader does not ask the coordinator: a marker is how an admin ends a hanging transaction.
        answeredWithoutHarm("unknown-marker", Errors.NONE, 1, (raw, topic) ->
                RawRequests.writeTxnMarker(raw, new ProducerIdAndEpoch(987_654_322L, (short) 0), 0, true, topic, 0));
    }

    private void refusedWithoutHarm(String name, Errors expected, BiFunction<RawKafkaConnection, String, Errors> badInput) {
        answeredWithoutHarm(name, expected, 0, badInput);
    }

    /**
     * Opens a Java producer's transaction on a topic of its own, sends {@code badInput} and checks its
     * answer and how much the log grew; then the transaction commits and is all a read_committed
     * reader sees.
     */
    private void answeredWithoutHarm(String name, Errors expected, long appended, BiFunction<RawKafkaConnection, String, Errors> badInput) {
        String topic = topic(name);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> bystander = KafkaClients.producer(bootstrap,
                Map.of("transactional.id", TargetBroker.unique(name + "-bystander"), "max.block.ms", "30000"));
             RawKafkaConnection raw = RawKafkaConnection.open(bootstrap)) {
            bystander.initTransactions();
            bystander.beginTransaction();
            bystander.send(new ProducerRecord<>(topic, "k", "kept")).get();
            long end = endOffset(partition, "read_uncommitted");

            assertThat(badInput.apply(raw, topic)).isEqualTo(expected);
            assertThat(endOffset(partition, "read_uncommitted")).as("appended").isEqualTo(end + appended);
            bystander.commitTransaction();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> endOffset(partition, "read_committed") == endOffset(partition, "read_uncommitted"));
        assertThat(readCommitted(partition)).containsExactly("kept");
    }

    private static Errors produce(RawKafkaConnection raw, String transactionalId, String topic, ProducerIdAndEpoch producer) {
        return Errors.forCode(RawRequests.produce(raw, transactionalId, topic, 0, RawRequests.transactionalBatchOf(producer, 0, "bad"))
                .errorCode());
    }

    private static Errors endTxn(RawKafkaConnection raw, String id, InitProducerIdResponseData producer, boolean commit, short version) {
        EndTxnResponseData answer = retrying(() -> raw.call(ApiKeys.END_TXN, version, new EndTxnRequestData().setTransactionalId(id)
                .setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch()).setCommitted(commit)),
                EndTxnResponseData::errorCode);
        return Errors.forCode(answer.errorCode());
    }

    private static Errors txnOffsetCommit(RawKafkaConnection raw, String id, InitProducerIdResponseData producer, String group,
                                          String memberId, int generation, String topic) {
        TxnOffsetCommitResponseData answer = retrying(() -> raw.call(ApiKeys.TXN_OFFSET_COMMIT, (short) 3, new TxnOffsetCommitRequestData()
                .setTransactionalId(id).setGroupId(group).setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                .setMemberId(memberId).setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(new TxnOffsetCommitRequestTopic().setName(topic)
                        .setPartitions(List.of(new TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1)))))),
                response -> response.topics().get(0).partitions().get(0).errorCode());
        return Errors.forCode(answer.topics().get(0).partitions().get(0).errorCode());
    }

    private static InitProducerIdResponseData initProducerId(RawKafkaConnection raw, String id, int timeoutMs) {
        findCoordinator(raw, id);
        InitProducerIdResponseData answer = retrying(() -> raw.call(ApiKeys.INIT_PRODUCER_ID, (short) 4,
                new InitProducerIdRequestData().setTransactionalId(id).setTransactionTimeoutMs(timeoutMs)), InitProducerIdResponseData::errorCode);
        assertThat(answer.errorCode()).isZero();
        return answer;
    }

    private static void findCoordinator(RawKafkaConnection raw, String id) {
        findCoordinator(raw, id, (byte) 1);
    }

    private static void findCoordinator(RawKafkaConnection raw, String key, byte type) {
        FindCoordinatorResponseData found = retrying(() -> raw.call(ApiKeys.FIND_COORDINATOR, (short) 3,
                new FindCoordinatorRequestData().setKey(key).setKeyType(type)), FindCoordinatorResponseData::errorCode);
        assertThat(found.errorCode()).isZero();
    }


    private String topic(String name) {
        String topic = TargetBroker.unique("txn-bad-" + name);
        KafkaClients.createTopic(bootstrap, topic, 1);
        return topic;
    }

    private long endOffset(TopicPartition partition, String isolation) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap, Map.of("isolation.level", isolation))) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    private List<String> readCommitted(TopicPartition partition) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap, Map.of("isolation.level", "read_committed"))) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
                return consumer.position(partition) >= end;
            });
        }
        return values;
    }
}
