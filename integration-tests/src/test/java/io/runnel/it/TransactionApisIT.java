package io.runnel.it;

import static io.runnel.it.support.CoordinatorRetries.retrying;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client-facing transaction APIs over raw requests, with the internal switch
 * {@code runnel.transactions.enable} on: FindCoordinator for a transactional id,
 * InitProducerId, AddPartitionsToTxn (both forms), AddOffsetsToTxn, EndTxn (through the markers to
 * Complete*), DescribeTransactions and ListTransactions, and their errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionApisIT {

    private static final String TOPIC = "txn-data";

    @TempDir
    static Path dataDir;

    @TempDir
    static Path offDataDir;

    private EmbeddedBroker broker;

    @BeforeAll
    void startBroker() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of("runnel.transactions.enable", "true",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "100"));
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 2);
        // As a client does first: this creates __transaction_state.
        retrying(() -> call(ApiKeys.FIND_COORDINATOR, (short) 3, new FindCoordinatorRequestData().setKey("setup").setKeyType((byte) 1)),
                FindCoordinatorResponseData::errorCode);
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldFindTheTransactionCoordinatorAndCreateItsTopic() {
        FindCoordinatorResponseData found = retrying(() -> call(ApiKeys.FIND_COORDINATOR, (short) 3,
                new FindCoordinatorRequestData().setKey("find-me").setKeyType((byte) 1)), FindCoordinatorResponseData::errorCode);
        assertThat(found.errorCode()).isZero();
        assertThat(found.port()).isEqualTo(broker.port());

        FindCoordinatorResponseData batched = call(ApiKeys.FIND_COORDINATOR, (short) 4,
                new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("a", "")));
        assertThat(batched.coordinators().get(0).errorCode()).isZero();
        assertThat(batched.coordinators().get(1).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void shouldBumpTheEpochOnEveryInitProducerIdOfTheSameId() {
        InitProducerIdResponseData first = initProducerId("fenced");
        InitProducerIdResponseData second = initProducerId("fenced");
        assertThat(second.producerId()).isEqualTo(first.producerId());
        assertThat(second.producerEpoch()).isEqualTo((short) (first.producerEpoch() + 1));

        EndTxnResponseData stale = endTxn("fenced", first, true, (short) 3);
        assertThat(Errors.forCode(stale.errorCode())).isEqualTo(Errors.PRODUCER_FENCED);
        EndTxnResponseData staleOld = endTxn("fenced", first, true, (short) 1);
        assertThat(Errors.forCode(staleOld.errorCode())).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void shouldRefuseATimeoutAboveTheMaximum() {
        InitProducerIdResponseData response = retrying(() -> call(ApiKeys.INIT_PRODUCER_ID, (short) 4, new InitProducerIdRequestData()
                .setTransactionalId("too-long").setTransactionTimeoutMs(900_001)), InitProducerIdResponseData::errorCode);
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
    }

    @Test
    void shouldAddPartitionsCommitAndDescribeIt() {
        InitProducerIdResponseData producer = initProducerId("committer");
        AddPartitionsToTxnResponseData added = addPartitions("committer", producer.producerId(), producer.producerEpoch(), 0, 1);
        assertThat(added.resultsByTopicV3AndBelow().find(TOPIC).resultsByPartition())
                .extracting(AddPartitionsToTxnPartitionResult::partitionErrorCode).containsOnly(Errors.NONE.code());

        AddOffsetsToTxnResponseData offsets = call(ApiKeys.ADD_OFFSETS_TO_TXN, (short) 3, new AddOffsetsToTxnRequestData()
                .setTransactionalId("committer").setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch()).setGroupId("g"));
        assertThat(offsets.errorCode()).isZero();

        AddPartitionsToTxnResponseData verified = call(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 5, new AddPartitionsToTxnRequestData()
                .setTransactions(transactions(new AddPartitionsToTxnTransaction().setTransactionalId("committer").setProducerId(producer.producerId())
                        .setProducerEpoch(producer.producerEpoch()).setVerifyOnly(true).setTopics(topics(TOPIC, 0)))));
        assertThat(verified.resultsByTransaction().find("committer").topicResults().find(TOPIC).resultsByPartition())
                .extracting(AddPartitionsToTxnPartitionResult::partitionErrorCode).containsOnly(Errors.NONE.code());

        DescribeTransactionsResponseData.TransactionState ongoing = describe("committer");
        assertThat(ongoing.transactionState()).isEqualTo("Ongoing");
        assertThat(ongoing.topics()).extracting(t -> t.topic()).contains(TOPIC, "__consumer_offsets");

        EndTxnResponseData ended = endTxn("committer", producer, true, (short) 4);
        assertThat(ended.errorCode()).isZero();
        // The markers go to the data partition and to __consumer_offsets; then the commit completes.
        await().atMost(Duration.ofSeconds(30)).until(() -> describe("committer").transactionState().equals("CompleteCommit"));

        ListTransactionsResponseData listed = call(ApiKeys.LIST_TRANSACTIONS, (short) 1,
                new ListTransactionsRequestData().setStateFilters(List.of("CompleteCommit")));
        assertThat(listed.transactionStates()).extracting(ListTransactionsResponseData.TransactionState::transactionalId).contains("committer");
        EndTxnResponseData again = endTxn("committer", producer, true, (short) 4);
        assertThat(Errors.forCode(again.errorCode())).as("a retried commit").isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAnswerTheErrorsOfUnknownPartitionsAndProducers() {
        InitProducerIdResponseData producer = initProducerId("errors");
        AddPartitionsToTxnResponseData unknown = addPartitions("errors", producer.producerId(), producer.producerEpoch(), 0, 7);
        assertThat(unknown.resultsByTopicV3AndBelow().find(TOPIC).resultsByPartition().find(7).partitionErrorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(unknown.resultsByTopicV3AndBelow().find(TOPIC).resultsByPartition().find(0).partitionErrorCode())
                .isEqualTo(Errors.OPERATION_NOT_ATTEMPTED.code());

        AddPartitionsToTxnResponseData wrongId = addPartitions("errors", producer.producerId() + 1000, producer.producerEpoch(), 0);
        assertThat(wrongId.resultsByTopicV3AndBelow().find(TOPIC).resultsByPartition().find(0).partitionErrorCode())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING.code());

        EndTxnResponseData neverStarted = endTxn("never-initialized", producer, false, (short) 3);
        assertThat(Errors.forCode(neverStarted.errorCode())).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);

        DescribeTransactionsResponseData.TransactionState missing = describe("no-such-id");
        assertThat(Errors.forCode(missing.errorCode())).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND);
    }

    @Test
    void shouldFenceAndAbortATransactionThatOutlivesItsTimeout() {
        InitProducerIdResponseData producer = retrying(() -> call(ApiKeys.INIT_PRODUCER_ID, (short) 4, new InitProducerIdRequestData()
                .setTransactionalId("slow").setTransactionTimeoutMs(200)), InitProducerIdResponseData::errorCode);
        assertThat(addPartitions("slow", producer.producerId(), producer.producerEpoch(), 0).resultsByTopicV3AndBelow().find(TOPIC)
                .resultsByPartition().find(0).partitionErrorCode()).isZero();

        await().atMost(Duration.ofSeconds(30)).until(() -> describe("slow").transactionState().equals("CompleteAbort"));
        assertThat(describe("slow").producerEpoch()).isGreaterThan(producer.producerEpoch());
        EndTxnResponseData late = endTxn("slow", producer, true, (short) 3);
        assertThat(Errors.forCode(late.errorCode())).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldRefuseToDeleteTheTransactionStateTopic() {
        try (var admin = KafkaClients.admin(broker.bootstrapServers())) {
            assertThat(admin.deleteTopics(List.of("__transaction_state")).all())
                    .failsWithin(Duration.ofSeconds(30)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(org.apache.kafka.common.errors.InvalidTopicException.class);
        }
    }

    @Test
    void shouldServeNoTransactionApiWithTheSwitchOff() {
        try (EmbeddedBroker off = EmbeddedBroker.start(offDataDir, Map.of("runnel.transactions.enable", "false"));
             RawKafkaConnection connection = RawKafkaConnection.open(off.bootstrapServers())) {
            ApiVersionsResponseData versions = connection.call(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData()
                    .setClientSoftwareName("txn-it").setClientSoftwareVersion("1"));
            assertThat(versions.apiKeys().find(ApiKeys.END_TXN.id)).isNull();
            assertThat(versions.apiKeys().find(ApiKeys.ADD_PARTITIONS_TO_TXN.id)).isNull();
            assertThat(versions.apiKeys().find(ApiKeys.TXN_OFFSET_COMMIT.id)).isNull();
            FindCoordinatorResponseData found = connection.call(ApiKeys.FIND_COORDINATOR, (short) 3,
                    new FindCoordinatorRequestData().setKey("t").setKeyType((byte) 1));
            assertThat(Errors.forCode(found.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
            InitProducerIdResponseData init = connection.call(ApiKeys.INIT_PRODUCER_ID, (short) 4,
                    new InitProducerIdRequestData().setTransactionalId("t").setTransactionTimeoutMs(60_000));
            assertThat(Errors.forCode(init.errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
        }
    }

    private InitProducerIdResponseData initProducerId(String transactionalId) {
        InitProducerIdResponseData response = retrying(() -> call(ApiKeys.INIT_PRODUCER_ID, (short) 4, new InitProducerIdRequestData()
                .setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000)), InitProducerIdResponseData::errorCode);
        assertThat(response.errorCode()).isZero();
        return response;
    }

    private AddPartitionsToTxnResponseData addPartitions(String transactionalId, long producerId, short producerEpoch, Integer... partitions) {
        return call(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 3, new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(transactionalId)
                .setV3AndBelowProducerId(producerId).setV3AndBelowProducerEpoch(producerEpoch).setV3AndBelowTopics(topics(TOPIC, partitions)));
    }

    private EndTxnResponseData endTxn(String transactionalId, InitProducerIdResponseData producer, boolean commit, short version) {
        return call(ApiKeys.END_TXN, version, new EndTxnRequestData().setTransactionalId(transactionalId)
                .setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch()).setCommitted(commit));
    }

    private DescribeTransactionsResponseData.TransactionState describe(String transactionalId) {
        DescribeTransactionsResponseData response = call(ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(transactionalId)));
        return response.transactionStates().get(0);
    }

    private static AddPartitionsToTxnTopicCollection topics(String topic, Integer... partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(partitions)));
        return topics;
    }

    private static AddPartitionsToTxnTransactionCollection transactions(AddPartitionsToTxnTransaction transaction) {
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        transactions.add(transaction);
        return transactions;
    }

    private <T extends org.apache.kafka.common.protocol.ApiMessage> T call(ApiKeys key, short version,
                                                                        org.apache.kafka.common.protocol.ApiMessage request) {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            return connection.call(key, version, request);
        }
    }

}
