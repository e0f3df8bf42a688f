package io.runnel.it.txn;

import static io.runnel.it.support.CoordinatorRetries.retrying;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawTransaction;
import io.runnel.it.support.TargetBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * AddPartitionsToTxn and AddOffsetsToTxn (D-3), TxnOffsetCommit with OffsetFetch {@code require_stable}
 * (D-11) and DescribeTransactions / ListTransactions (D-13) of docs/transactions.md section 10, as raw
 * requests. Every expected answer is what Apache Kafka 4.3.1 gives: the class passes against it unchanged
 * ({@link TargetBroker}, {@code -Drunnel.it.reference.bootstrap}, a node with {@link TxnParityFixture#OVERRIDES}).
 */
class TxnApisParityIT extends TxnParityFixture {

    private static final short CLIENT_FORM = 3;
    private static final short BROKER_FORM = 5;

    // D-3: AddPartitionsToTxn, client form.

    @Test
    void shouldNotAttemptKnownPartitionsRequestedBesideUnknownOnes() {
        RawTransaction transaction = transaction("add-unknown");
        InitProducerIdResponseData producer = transaction.init();
        String missing = TargetBroker.unique("no-such-topic");

        AddPartitionsToTxnTopicResultCollection results = transaction.addPartitions(CLIENT_FORM, producer.producerId(),
                producer.producerEpoch(), Map.of(topic, List.of(0, 7), missing, List.of(0)));

        assertThat(error(results, topic, 0)).isEqualTo(Errors.OPERATION_NOT_ATTEMPTED);
        assertThat(error(results, topic, 7)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(error(results, missing, 0)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(transaction.describe().transactionState()).isEqualTo("Empty");
    }

    @Test
    void shouldRefuseAnUnknownIdAndAnotherProducerIdAsMappingErrors() {
        RawTransaction transaction = transaction("add-mapping");
        InitProducerIdResponseData producer = transaction.init();

        assertThat(addError(transaction, CLIENT_FORM, producer.producerId() + 1, producer.producerEpoch()))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(addError(transaction("add-never-initialized"), CLIENT_FORM, producer.producerId(), producer.producerEpoch()))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void shouldFenceAStaleEpochAsProducerFencedFromV2AndAsInvalidProducerEpochBefore() {
        RawTransaction transaction = transaction("add-stale");
        transaction.init();
        InitProducerIdResponseData producer = transaction.init();
        short stale = (short) (producer.producerEpoch() - 1);

        assertThat(addError(transaction, CLIENT_FORM, producer.producerId(), stale)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(addError(transaction, (short) 1, producer.producerId(), stale)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void shouldAnswerAnAddOfPartitionsAlreadyInTheTransactionAtOnce() {
        RawTransaction transaction = transaction("add-twice");
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, topic, 0);

        assertThat(addError(transaction, CLIENT_FORM, producer.producerId(), producer.producerEpoch())).isEqualTo(Errors.NONE);
        assertThat(transaction.describe().topics()).extracting(TopicData::topic, TopicData::partitions)
                .containsExactly(tuple(topic, List.of(0)));
    }

    // D-3: AddPartitionsToTxn, broker form (v4+), and verify_only.

    @Test
    void shouldVerifyOnlyPartitionsOfTheOngoingTransaction() {
        RawTransaction transaction = transaction("verify");
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, topic, 0);

        AddPartitionsToTxnResponseData verified = transaction.addPartitionsAsBroker(BROKER_FORM, producer.producerId(),
                producer.producerEpoch(), true, topic, 0, 1);

        assertThat(Errors.forCode(verified.errorCode())).isEqualTo(Errors.NONE);
        AddPartitionsToTxnTopicResultCollection results = verified.resultsByTransaction().find(transaction.id()).topicResults();
        assertThat(error(results, topic, 0)).isEqualTo(Errors.NONE);
        assertThat(error(results, topic, 1)).isEqualTo(Errors.TRANSACTION_ABORTABLE);
        assertThat(transaction.describe().topics().find(topic).partitions()).containsExactly(0);
    }

    @Test
    void shouldRefuseVerificationOfAnUnknownIdAndOfAStaleEpochPerPartition() {
        RawTransaction transaction = transaction("verify-refused");
        transaction.init();
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, topic, 0);

        assertThat(verifyError(transaction, producer.producerId(), (short) (producer.producerEpoch() - 1))).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(verifyError(transaction, producer.producerId() + 1, producer.producerEpoch())).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(verifyError(transaction("verify-never-initialized"), producer.producerId(), producer.producerEpoch()))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void shouldAddPartitionsInTheBrokerForm() {
        RawTransaction transaction = transaction("broker-add");
        InitProducerIdResponseData producer = transaction.init();

        AddPartitionsToTxnResponseData added = transaction.addPartitionsAsBroker(BROKER_FORM, producer.producerId(),
                producer.producerEpoch(), false, topic, 1);

        assertThat(Errors.forCode(added.errorCode())).isEqualTo(Errors.NONE);
        assertThat(error(added.resultsByTransaction().find(transaction.id()).topicResults(), topic, 1)).isEqualTo(Errors.NONE);
        assertThat(transaction.describe().transactionState()).isEqualTo("Ongoing");
        assertThat(transaction.describe().topics().find(topic).partitions()).containsExactly(1);
    }

    // D-3: AddOffsetsToTxn.

    @Test
    void shouldAddTheGroupsOffsetsPartitionAndFenceAStaleEpoch() {
        RawTransaction transaction = transaction("add-offsets");
        transaction.init();
        InitProducerIdResponseData producer = transaction.init();
        String group = group("add-offsets");

        assertThat(Errors.forCode(transaction.addOffsets((short) 3, producer.producerId(), producer.producerEpoch(), group).errorCode()))
                .isEqualTo(Errors.NONE);
        assertThat(transaction.describe().topics()).extracting(TopicData::topic).containsExactly("__consumer_offsets");
        short stale = (short) (producer.producerEpoch() - 1);
        assertThat(Errors.forCode(transaction.addOffsets((short) 3, producer.producerId(), stale, group).errorCode()))
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(Errors.forCode(transaction.addOffsets((short) 1, producer.producerId(), stale, group).errorCode()))
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    // D-11: TxnOffsetCommit and OffsetFetch require_stable.

    @Test
    void shouldHideTransactionalOffsetsFromStableReadsUntilTheCommit() {
        RawTransaction transaction = transaction("offsets-commit");
        InitProducerIdResponseData producer = transaction.init();
        String group = group("offsets-commit");
        transaction.addOffsets((short) 3, producer.producerId(), producer.producerEpoch(), group);

        assertThat(txnOffsetCommit(transaction, (short) 3, producer, group, topic)).isEqualTo(Errors.NONE);
        assertThat(stableOffset(group)).isEqualTo(new Committed(Errors.UNSTABLE_OFFSET_COMMIT, -1L));
        assertThat(transaction.endTxn((short) 5, producer.producerId(), producer.producerEpoch(), true).errorCode()).isZero();
        transaction.awaitState("CompleteCommit");

        assertThat(stableOffset(group)).isEqualTo(new Committed(Errors.NONE, 42L));
    }

    @Test
    void shouldDropTransactionalOffsetsOnAbort() {
        RawTransaction transaction = transaction("offsets-abort");
        InitProducerIdResponseData producer = transaction.init();
        String group = group("offsets-abort");
        transaction.addOffsets((short) 3, producer.producerId(), producer.producerEpoch(), group);
        assertThat(txnOffsetCommit(transaction, (short) 3, producer, group, topic)).isEqualTo(Errors.NONE);

        assertThat(transaction.endTxn((short) 5, producer.producerId(), producer.producerEpoch(), false).errorCode()).isZero();
        transaction.awaitState("CompleteAbort");

        assertThat(stableOffset(group)).isEqualTo(new Committed(Errors.NONE, -1L));
    }

    @Test
    void shouldAddTheOffsetsPartitionImplicitlyAtV5() {
        RawTransaction transaction = transaction("offsets-implicit");
        InitProducerIdResponseData producer = transaction.init();
        String group = group("offsets-implicit");

        assertThat(txnOffsetCommit(transaction, (short) 5, producer, group, topic)).isEqualTo(Errors.NONE);
        assertThat(transaction.describe().topics()).extracting(TopicData::topic).containsExactly("__consumer_offsets");
    }

    @Test
    void shouldRefuseOffsetsWithoutAddOffsetsToTxnBeforeV5AndOfAnUnknownTopic() {
        RawTransaction transaction = transaction("offsets-not-added");
        InitProducerIdResponseData producer = transaction.init();
        String group = group("offsets-not-added");

        Errors notAdded = txnOffsetCommit(transaction, (short) 3, producer, group, topic);
        transaction.addOffsets((short) 3, producer.producerId(), producer.producerEpoch(), group);
        Errors unknownTopic = txnOffsetCommit(transaction, (short) 3, producer, group, TargetBroker.unique("no-such-topic"));

        assertThat(notAdded).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(unknownTopic).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldAcceptTransactionalOffsetsWithoutAMemberOnANonEmptyClassicGroupAtV1() {
        String group = group("offsets-classic-v1");
        try (KafkaConsumer<String, String> member = joined(group, Map.of("group.protocol", "classic"))) {
            assertThat(member.groupMetadata().generationId()).as("a member joined").isPositive();
            RawTransaction transaction = transaction("offsets-classic-v1");
            InitProducerIdResponseData producer = transaction.init();
            transaction.addOffsets((short) 3, producer.producerId(), producer.producerEpoch(), group);

            assertThat(txnOffsetCommit(transaction, (short) 1, producer, group, topic)).isEqualTo(Errors.NONE);
            assertThat(txnOffsetCommit(transaction, (short) 3, producer, group, topic, new Member("", -1, null)))
                    .as("v3 without a member").isEqualTo(Errors.NONE);
        }
    }

    @Test
    void shouldFenceTransactionalOffsetsOfAnotherMemberWithAStaticMembersInstanceId() {
        String group = group("offsets-static");
        String instance = TargetBroker.unique("instance");
        try (KafkaConsumer<String, String> member = joined(group, Map.of("group.protocol", "classic", "group.instance.id", instance))) {
            ConsumerGroupMetadata joined = member.groupMetadata();
            RawTransaction transaction = transaction("offsets-static");
            InitProducerIdResponseData producer = transaction.init();
            transaction.addOffsets((short) 3, producer.producerId(), producer.producerEpoch(), group);

            assertThat(txnOffsetCommit(transaction, (short) 3, producer, group, topic, new Member("someone-else", joined.generationId(), instance)))
                    .isEqualTo(Errors.FENCED_INSTANCE_ID);
            assertThat(txnOffsetCommit(transaction, (short) 3, producer, group, topic, new Member(joined.memberId(), joined.generationId(), instance)))
                    .isEqualTo(Errors.NONE);
        }
    }

    // D-13: DescribeTransactions and ListTransactions.

    @Test
    void shouldDescribeAnUnknownIdAsNotFound() {
        assertThat(Errors.forCode(transaction("describe-unknown").describe().errorCode())).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND);
    }

    @Test
    void shouldListByStateEchoingUnknownStateNames() {
        RawTransaction open = transaction("list-state-open");
        open.add(open.init(), topic, 0);
        RawTransaction idle = transaction("list-state-idle");
        idle.init();

        ListTransactionsResponseData listed = list((short) 0, new ListTransactionsRequestData().setStateFilters(List.of("Ongoing", "Sleeping")));

        assertThat(Errors.forCode(listed.errorCode())).isEqualTo(Errors.NONE);
        assertThat(listed.unknownStateFilters()).containsExactly("Sleeping");
        assertThat(ids(listed)).contains(open.id()).doesNotContain(idle.id());
        assertThat(listed.transactionStates()).extracting(ListTransactionsResponseData.TransactionState::transactionState).containsOnly("Ongoing");
    }

    @Test
    void shouldListByProducerIdAndByDuration() {
        RawTransaction open = transaction("list-producer");
        InitProducerIdResponseData producer = open.init();
        open.add(producer, topic, 0);

        ListTransactionsResponseData byProducer = list((short) 0, new ListTransactionsRequestData().setProducerIdFilters(List.of(producer.producerId())));
        ListTransactionsResponseData runningAnHour = list((short) 1, new ListTransactionsRequestData().setDurationFilter(3_600_000L));

        assertThat(ids(byProducer)).containsExactly(open.id());
        assertThat(ids(runningAnHour)).doesNotContain(open.id());
    }

    @Test
    void shouldListByAFullMatchOfTheIdPatternAndRefuseAnInvalidPattern() {
        RawTransaction open = transaction("list-pattern");
        open.add(open.init(), topic, 0);

        ListTransactionsResponseData whole = list((short) 2, new ListTransactionsRequestData().setTransactionalIdPattern(
                Pattern.quote(open.id())));
        ListTransactionsResponseData prefix = list((short) 2, new ListTransactionsRequestData().setTransactionalIdPattern("parity-list-pat"));
        ListTransactionsResponseData invalid = list((short) 2, new ListTransactionsRequestData().setTransactionalIdPattern("parity-["));

        assertThat(ids(whole)).containsExactly(open.id());
        assertThat(ids(prefix)).as("a prefix is not a full match").isEmpty();
        assertThat(Errors.forCode(invalid.errorCode())).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION);
    }

    /** A group id of its own whose coordinator is found (which creates {@code __consumer_offsets}). */
    private String group(String name) {
        String group = TargetBroker.unique("parity-group-" + name);
        retrying(() -> raw.<FindCoordinatorResponseData>call(ApiKeys.FIND_COORDINATOR, (short) 3,
                new FindCoordinatorRequestData().setKey(group).setKeyType((byte) 0)), FindCoordinatorResponseData::errorCode);
        return group;
    }

    private Errors txnOffsetCommit(RawTransaction transaction, short version, InitProducerIdResponseData producer, String group,
                                   String committedTopic) {
        return txnOffsetCommit(transaction, version, producer, group, committedTopic, new Member("", -1, null));
    }

    private Errors txnOffsetCommit(RawTransaction transaction, short version, InitProducerIdResponseData producer, String group,
                                   String committedTopic, Member member) {
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData()
                .setTransactionalId(transaction.id()).setGroupId(group).setProducerId(producer.producerId())
                .setProducerEpoch(producer.producerEpoch())
                .setTopics(List.of(new TxnOffsetCommitRequestTopic().setName(committedTopic)
                        .setPartitions(List.of(new TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(42L)))));
        if (version >= 3) {
            request.setMemberId(member.id()).setGenerationIdOrMemberEpoch(member.generationOrEpoch()).setGroupInstanceId(member.instanceId());
        }
        TxnOffsetCommitResponseData answer = raw.call(ApiKeys.TXN_OFFSET_COMMIT, version, request);
        return Errors.forCode(answer.topics().get(0).partitions().get(0).errorCode());
    }

    /** The group member a TxnOffsetCommit (v3+) names. */
    private record Member(String id, int generationOrEpoch, String instanceId) {
    }

    /** A consumer of the test's topic in {@code group}, once it has its assignment. */
    private KafkaConsumer<String, String> joined(String group, Map<String, Object> settings) {
        Map<String, Object> overrides = new HashMap<>(settings);
        overrides.put("group.id", group);
        KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), overrides);
        consumer.subscribe(List.of(topic));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
        return consumer;
    }

    /** OffsetFetch v7 with {@code require_stable} of partition 0 of the test's topic. */
    private Committed stableOffset(String group) {
        OffsetFetchResponseData answer = raw.call(ApiKeys.OFFSET_FETCH, (short) 7, new OffsetFetchRequestData().setGroupId(group)
                .setRequireStable(true)
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic).setPartitionIndexes(List.of(0)))));
        OffsetFetchResponseData.OffsetFetchResponsePartition partition = answer.topics().get(0).partitions().get(0);
        return new Committed(Errors.forCode(partition.errorCode()), partition.committedOffset());
    }

    /** One partition's answer to a stable offset fetch. */
    private record Committed(Errors error, long offset) {
    }

    private ListTransactionsResponseData list(short version, ListTransactionsRequestData request) {
        return raw.call(ApiKeys.LIST_TRANSACTIONS, version, request);
    }

    private static List<String> ids(ListTransactionsResponseData listed) {
        return listed.transactionStates().stream().map(ListTransactionsResponseData.TransactionState::transactionalId).toList();
    }

    private Errors addError(RawTransaction transaction, short version, long producerId, short epoch) {
        return error(transaction.addPartitions(version, producerId, epoch, Map.of(topic, List.of(0))), topic, 0);
    }

    private Errors verifyError(RawTransaction transaction, long producerId, short epoch) {
        AddPartitionsToTxnResponseData verified = transaction.addPartitionsAsBroker(BROKER_FORM, producerId, epoch, true, topic, 0);
        return error(verified.resultsByTransaction().find(transaction.id()).topicResults(), topic, 0);
    }

    private static Errors error(AddPartitionsToTxnTopicResultCollection results, String topicName, int partition) {
        AddPartitionsToTxnPartitionResult result = results.find(topicName).resultsByPartition().find(partition);
        return Errors.forCode(result.partitionErrorCode());
    }
}
