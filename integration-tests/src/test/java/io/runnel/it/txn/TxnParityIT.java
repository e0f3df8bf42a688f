package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.RawTransaction;
import io.runnel.it.support.TargetBroker;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The transaction coordinator's answers to InitProducerId and EndTxn (docs/transactions.md section 10,
 * D-2 and D-5) and the feature they follow (D-1), sent as raw requests with the epochs chosen per case. Every expected answer is what
 * Apache Kafka 4.3.1 gives: the class passes against it unchanged ({@link TargetBroker},
 * {@code -Drunnel.it.reference.bootstrap}, a node with {@link TxnParityFixture#OVERRIDES}).
 */
class TxnParityIT extends TxnParityFixture {

    private static final short TV1_END_TXN = 4;
    private static final short TV2_END_TXN = 5;

    // D-1: the transaction.version feature.

    @Test
    void shouldSupportAndFinalizeTransactionVersionTwo() {
        ApiVersionsResponseData versions = apiVersions((short) 4);

        SupportedFeatureKey supported = versions.supportedFeatures().find("transaction.version");
        FinalizedFeatureKey finalized = versions.finalizedFeatures().find("transaction.version");
        assertThat(supported.minVersion()).isZero();
        assertThat(supported.maxVersion()).isEqualTo((short) 2);
        assertThat(finalized.minVersionLevel()).isEqualTo((short) 2);
        assertThat(finalized.maxVersionLevel()).isEqualTo((short) 2);
        assertThat(versions.finalizedFeaturesEpoch()).isPositive();
    }

    @Test
    void shouldLeaveAFeatureSupportedFromVersionZeroOutOfApiVersionsV3() {
        // KIP-1022: clients before ApiVersions v4 cannot read a supported range starting at 0.
        ApiVersionsResponseData versions = apiVersions((short) 3);

        assertThat(versions.supportedFeatures().find("transaction.version")).isNull();
        assertThat(versions.finalizedFeatures().find("transaction.version").maxVersionLevel()).isEqualTo((short) 2);
    }

    // D-2: InitProducerId with a transactional id.

    @Test
    void shouldStartANewIdAtEpochZeroAndBumpTheEpochOnEachInit() {
        RawTransaction transaction = transaction("init-new");
        InitProducerIdResponseData first = transaction.init();
        InitProducerIdResponseData second = transaction.init();

        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.NONE);
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isEqualTo(first.producerId());
        assertThat(second.producerEpoch()).isEqualTo((short) 1);
        assertThat(transaction.describe().transactionState()).isEqualTo("Empty");
    }

    @Test
    void shouldRefuseAnEmptyIdAndATimeoutOfZero() {
        assertThat(initError(transaction(""), 60_000, -1L, (short) -1)).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(initError(transaction("zero-timeout"), 0, -1L, (short) -1)).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(initError(transaction("negative-timeout"), -1, -1L, (short) -1)).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
    }

    @Test
    void shouldRefuseAProducerIdWithoutAnEpochAndAnEpochWithoutAProducerId() {
        RawTransaction transaction = transaction("half-expected");
        InitProducerIdResponseData producer = transaction.init();

        assertThat(initError(transaction, 60_000, producer.producerId(), (short) -1)).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(initError(transaction, 60_000, -1L, producer.producerEpoch())).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void shouldFenceAWrongExpectedEpochAsProducerFencedFromV4AndAsInvalidProducerEpochAtV3() {
        RawTransaction transaction = transaction("wrong-epoch");
        InitProducerIdResponseData producer = transaction.init();
        short wrong = (short) (producer.producerEpoch() + 5);

        assertThat(Errors.forCode(transaction.init((short) 4, 60_000, producer.producerId(), wrong).errorCode()))
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(Errors.forCode(transaction.init((short) 3, 60_000, producer.producerId(), wrong).errorCode()))
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(Errors.forCode(transaction.init((short) 4, 60_000, producer.producerId() + 1, producer.producerEpoch()).errorCode()))
                .as("another producer id").isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldBumpOnTheExpectedEpochAndAnswerARetryOfItWithTheSameEpoch() {
        RawTransaction transaction = transaction("retry");
        InitProducerIdResponseData producer = transaction.init();

        InitProducerIdResponseData bumped = transaction.init((short) 4, 60_000, producer.producerId(), producer.producerEpoch());
        InitProducerIdResponseData retried = transaction.init((short) 4, 60_000, producer.producerId(), producer.producerEpoch());

        assertThat(Errors.forCode(bumped.errorCode())).isEqualTo(Errors.NONE);
        assertThat(bumped.producerEpoch()).isEqualTo((short) (producer.producerEpoch() + 1));
        assertThat(Errors.forCode(retried.errorCode())).isEqualTo(Errors.NONE);
        assertThat(retried.producerId()).isEqualTo(bumped.producerId());
        assertThat(retried.producerEpoch()).isEqualTo(bumped.producerEpoch());
    }

    @Test
    void shouldAbortAnOngoingTransactionWhenItsIdIsInitializedAgain() {
        RawTransaction transaction = transaction("init-ongoing");
        InitProducerIdResponseData producer = ongoing(transaction);

        InitProducerIdResponseData fenced = transaction.init();
        InitProducerIdResponseData retried = transaction.initWaitingOutConcurrent(-1L, (short) -1);

        assertThat(Errors.forCode(fenced.errorCode())).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(Errors.forCode(retried.errorCode())).isEqualTo(Errors.NONE);
        assertThat(retried.producerId()).isEqualTo(producer.producerId());
        assertThat(retried.producerEpoch()).isEqualTo((short) (producer.producerEpoch() + 2));
        assertThat(transaction.describe().transactionState()).isEqualTo("Empty");
    }

    // D-5: EndTxn v5 (transaction version 2), section 5.3's table, one cell per case.

    @Test
    void shouldPrepareAnOngoingTransactionAtTheNextEpochAndAnswerWithIt() {
        RawTransaction transaction = transaction("tv2-ongoing-commit");
        InitProducerIdResponseData producer = ongoing(transaction);

        EndTxnResponseData ended = transaction.endTxn(TV2_END_TXN, producer.producerId(), producer.producerEpoch(), true);

        assertThat(Errors.forCode(ended.errorCode())).isEqualTo(Errors.NONE);
        assertThat(ended.producerId()).isEqualTo(producer.producerId());
        assertThat(ended.producerEpoch()).isEqualTo((short) (producer.producerEpoch() + 1));
        assertThat(transaction.awaitState("CompleteCommit").producerEpoch()).isEqualTo(ended.producerEpoch());
    }

    @Test
    void shouldFenceAnEndOfAnOngoingTransactionAtThePreviousEpoch() {
        RawTransaction transaction = transaction("tv2-ongoing-retry");
        transaction.init();
        InitProducerIdResponseData producer = ongoing(transaction);
        short previous = (short) (producer.producerEpoch() - 1);

        assertThat(endError(transaction, TV2_END_TXN, producer.producerId(), previous, false)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(endError(transaction, TV2_END_TXN, producer.producerId(), previous, true)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(transaction.describe().transactionState()).isEqualTo("Ongoing");
    }

    @Test
    void shouldAbortAnEmptyIdAtTheNextEpochButRefuseToCommitIt() {
        RawTransaction transaction = transaction("tv2-empty");
        InitProducerIdResponseData producer = transaction.init();

        assertThat(endError(transaction, TV2_END_TXN, producer.producerId(), producer.producerEpoch(), true))
                .isEqualTo(Errors.INVALID_TXN_STATE);
        EndTxnResponseData aborted = transaction.endTxn(TV2_END_TXN, producer.producerId(), producer.producerEpoch(), false);

        assertThat(Errors.forCode(aborted.errorCode())).isEqualTo(Errors.NONE);
        assertThat(aborted.producerEpoch()).isEqualTo((short) (producer.producerEpoch() + 1));
        assertThat(transaction.awaitState("CompleteAbort").producerEpoch()).isEqualTo(aborted.producerEpoch());
    }

    @Test
    void shouldFenceAnEndOfAnEmptyIdAtThePreviousEpoch() {
        RawTransaction transaction = transaction("tv2-empty-retry");
        transaction.init();
        InitProducerIdResponseData producer = transaction.init();
        short previous = (short) (producer.producerEpoch() - 1);

        assertThat(endError(transaction, TV2_END_TXN, producer.producerId(), previous, false)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(endError(transaction, TV2_END_TXN, producer.producerId(), previous, true)).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldAnswerARetriedCommitWithTheStoredIdsAndRefuseTheOtherEndsOfACompletedCommit() {
        RawTransaction transaction = transaction("tv2-complete-commit");
        InitProducerIdResponseData producer = ongoing(transaction);
        EndTxnResponseData committed = transaction.endTxn(TV2_END_TXN, producer.producerId(), producer.producerEpoch(), true);
        transaction.awaitState("CompleteCommit");

        EndTxnResponseData retried = transaction.endTxn(TV2_END_TXN, producer.producerId(), producer.producerEpoch(), true);
        assertThat(Errors.forCode(retried.errorCode())).isEqualTo(Errors.NONE);
        assertThat(retried.producerId()).isEqualTo(committed.producerId());
        assertThat(retried.producerEpoch()).isEqualTo(committed.producerEpoch());
        assertThat(endError(transaction, TV2_END_TXN, producer.producerId(), producer.producerEpoch(), false))
                .as("abort, retry").isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(endError(transaction, TV2_END_TXN, committed.producerId(), committed.producerEpoch(), true))
                .as("commit, current").isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(transaction.describe().transactionState()).isEqualTo("CompleteCommit");
    }

    @Test
    void shouldAnswerARetriedAbortWithTheStoredIdsAndRefuseACommitOfACompletedAbort() {
        RawTransaction transaction = transaction("tv2-complete-abort");
        InitProducerIdResponseData producer = ongoing(transaction);
        EndTxnResponseData aborted = transaction.endTxn(TV2_END_TXN, producer.producerId(), producer.producerEpoch(), false);
        transaction.awaitState("CompleteAbort");

        EndTxnResponseData retried = transaction.endTxn(TV2_END_TXN, producer.producerId(), producer.producerEpoch(), false);
        assertThat(Errors.forCode(retried.errorCode())).isEqualTo(Errors.NONE);
        assertThat(retried.producerEpoch()).isEqualTo(aborted.producerEpoch());
        assertThat(endError(transaction, TV2_END_TXN, producer.producerId(), producer.producerEpoch(), true))
                .as("commit, retry").isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(endError(transaction, TV2_END_TXN, aborted.producerId(), aborted.producerEpoch(), true))
                .as("commit, current").isEqualTo(Errors.INVALID_TXN_STATE);
        EndTxnResponseData abortedAgain = transaction.endTxn(TV2_END_TXN, aborted.producerId(), aborted.producerEpoch(), false);
        assertThat(Errors.forCode(abortedAgain.errorCode())).as("abort, current").isEqualTo(Errors.NONE);
        assertThat(abortedAgain.producerEpoch()).isEqualTo((short) (aborted.producerEpoch() + 1));
    }

    @Test
    void shouldNeverFenceAnEmptyAbortSentRightAfterACommit() {
        // KAFKA-18464: the Java client aborts at the epoch the commit answered with while the commit's markers may still be in flight.
        RawTransaction transaction = transaction("tv2-abort-after-commit");
        InitProducerIdResponseData producer = ongoing(transaction);
        EndTxnResponseData committed = transaction.endTxn(TV2_END_TXN, producer.producerId(), producer.producerEpoch(), true);

        Errors first = endError(transaction, TV2_END_TXN, committed.producerId(), committed.producerEpoch(), false);
        assertThat(first).isIn(Errors.NONE, Errors.CONCURRENT_TRANSACTIONS);
        transaction.awaitState(first == Errors.NONE ? "CompleteAbort" : "CompleteCommit");
        if (first == Errors.CONCURRENT_TRANSACTIONS) {
            assertThat(endError(transaction, TV2_END_TXN, committed.producerId(), committed.producerEpoch(), false)).isEqualTo(Errors.NONE);
        }
        assertThat(transaction.awaitState("CompleteAbort").producerEpoch()).isEqualTo((short) (committed.producerEpoch() + 1));
    }

    @Test
    void shouldRefuseAnEndOfAnotherProducerIdAsAMappingError() {
        RawTransaction transaction = transaction("wrong-producer-id");
        InitProducerIdResponseData producer = ongoing(transaction);

        assertThat(endError(transaction, TV2_END_TXN, producer.producerId() + 1, producer.producerEpoch(), true))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(endError(transaction, TV1_END_TXN, producer.producerId() + 1, producer.producerEpoch(), true))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(endError(transaction("never-initialized"), TV2_END_TXN, producer.producerId(), producer.producerEpoch(), true))
                .as("unknown id").isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    // D-5: EndTxn v4 and below (transaction version 1): the epoch stays.

    @Test
    void shouldCommitAtTheSameEpochAndAnswerARetryOnlyForTheSameResultUnderTheFirstProtocol() {
        RawTransaction transaction = transaction("tv1-commit");
        InitProducerIdResponseData producer = ongoing(transaction);

        assertThat(endError(transaction, TV1_END_TXN, producer.producerId(), producer.producerEpoch(), true)).isEqualTo(Errors.NONE);
        assertThat(transaction.awaitState("CompleteCommit").producerEpoch()).isEqualTo(producer.producerEpoch());
        assertThat(endError(transaction, TV1_END_TXN, producer.producerId(), producer.producerEpoch(), true)).isEqualTo(Errors.NONE);
        assertThat(endError(transaction, TV1_END_TXN, producer.producerId(), producer.producerEpoch(), false))
                .isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void shouldRefuseBothEndsOfAnEmptyIdUnderTheFirstProtocol() {
        RawTransaction transaction = transaction("tv1-empty");
        InitProducerIdResponseData producer = transaction.init();

        assertThat(endError(transaction, TV1_END_TXN, producer.producerId(), producer.producerEpoch(), true)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(endError(transaction, TV1_END_TXN, producer.producerId(), producer.producerEpoch(), false)).isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void shouldFenceAnotherEpochAsProducerFencedFromV2AndAsInvalidProducerEpochBefore() {
        RawTransaction transaction = transaction("tv1-fenced");
        transaction.init();
        InitProducerIdResponseData producer = ongoing(transaction);
        short previous = (short) (producer.producerEpoch() - 1);

        assertThat(endError(transaction, TV1_END_TXN, producer.producerId(), previous, true)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(endError(transaction, (short) 2, producer.producerId(), previous, true)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(endError(transaction, (short) 1, producer.producerId(), previous, true)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(endError(transaction, TV1_END_TXN, producer.producerId(), (short) (producer.producerEpoch() + 1), true))
                .as("a later epoch").isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(transaction.describe().transactionState()).isEqualTo("Ongoing");
    }

    @Override
    RawTransaction transaction(String name) {
        return name.isEmpty() ? RawTransaction.of(raw, "") : super.transaction(name);
    }

    /** Initializes the id and adds partition 0 of the test's topic: Ongoing at the epoch returned. */
    private InitProducerIdResponseData ongoing(RawTransaction transaction) {
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, topic, 0);
        return producer;
    }

    private ApiVersionsResponseData apiVersions(short version) {
        return raw.call(ApiKeys.API_VERSIONS, version, new ApiVersionsRequestData().setClientSoftwareName("runnel-parity")
                .setClientSoftwareVersion("1"));
    }

    private static Errors initError(RawTransaction transaction, int timeoutMs, long producerId, short epoch) {
        return Errors.forCode(transaction.init((short) 4, timeoutMs, producerId, epoch).errorCode());
    }

    private static Errors endError(RawTransaction transaction, short version, long producerId, short epoch, boolean commit) {
        return Errors.forCode(transaction.endTxn(version, producerId, epoch, commit).errorCode());
    }
}
