package io.runnel.transaction;

import static io.runnel.transaction.CoordinatorHarness.COORDINATOR_EPOCH;
import static io.runnel.transaction.CoordinatorHarness.TIMEOUT_MS;
import static io.runnel.transaction.TransactionState.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.transaction.record.TransactionRecord;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One test per row of the transition and error tables of the plan's section 5 (Kafka 4.3.1's behaviour). */
class TransactionCoordinatorTest {

    private static final String TXN = "txn-1";
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final TopicPartition Q0 = new TopicPartition("audit", 0);

    private final CoordinatorHarness h = new CoordinatorHarness(TransactionVersion.TV_1);

    /** A producer with an ongoing transaction on the partitions. */
    private ProducerAnswer startTransaction(CoordinatorHarness harness, TransactionVersion version, TopicPartition... partitions) {
        ProducerAnswer producer = harness.init(TXN);
        add(harness, producer, version, partitions);
        return producer;
    }

    private Errors add(CoordinatorHarness harness, ProducerAnswer producer, TransactionVersion version, TopicPartition... partitions) {
        return harness.run(harness.coordinator.addPartitions(TXN, producer.producerId(), producer.producerEpoch(), List.of(partitions),
                version, harness.now));
    }

    private ProducerAnswer end(CoordinatorHarness harness, ProducerAnswer producer, boolean commit, TransactionVersion version) {
        return harness.run(harness.coordinator.endTxn(TXN, producer.producerId(), producer.producerEpoch(), commit, version, harness.now));
    }

    @Nested
    class InitProducerId {

        @Test
        void shouldGiveANewIdAFreshProducerAtEpochZero() {
            ProducerAnswer answer = h.init(TXN);

            assertThat(answer).isEqualTo(ProducerAnswer.ok(1000, (short) 0));
            assertThat(h.metadata(TXN).state()).isEqualTo(EMPTY);
            TransactionRecord record = h.lastRecord(TXN);
            assertThat(record.value().producerEpoch()).isZero();
            assertThat(record.value().partitions()).isNull();
            assertThat(record.valueVersion()).isEqualTo((short) 1);
        }

        @Test
        void shouldWriteValueVersionZeroBelowTransactionVersionOne() {
            CoordinatorHarness tv0 = new CoordinatorHarness(TransactionVersion.TV_0);

            tv0.init(TXN);

            assertThat(tv0.lastRecord(TXN).valueVersion()).isZero();
        }

        @Test
        void shouldFenceAnOlderInstanceByBumpingTheEpoch() {
            h.init(TXN);

            assertThat(h.init(TXN)).isEqualTo(ProducerAnswer.ok(1000, (short) 1));
        }

        @Test
        void shouldRefuseAnEmptyIdAndAHalfNamedProducer() {
            assertThat(h.run(h.coordinator.initProducerId("", TIMEOUT_MS, -1, (short) -1, h.now)).error()).isEqualTo(Errors.INVALID_REQUEST);
            assertThat(h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, 1000, (short) -1, h.now)).error()).isEqualTo(Errors.INVALID_REQUEST);
            assertThat(h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, -1, (short) 0, h.now)).error()).isEqualTo(Errors.INVALID_REQUEST);
        }

        @Test
        void shouldRefuseATimeoutAboveTheMaximumOrNotPositive() {
            assertThat(h.run(h.coordinator.initProducerId(TXN, 900_001, -1, (short) -1, h.now)).error())
                    .isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
            assertThat(h.run(h.coordinator.initProducerId(TXN, 0, -1, (short) -1, h.now)).error())
                    .isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
            assertThat(h.run(h.coordinator.initProducerId(TXN, 900_000, -1, (short) -1, h.now)).error()).isEqualTo(Errors.NONE);
        }

        @Test
        void shouldGiveANonTransactionalProducerAnIdAtEpochZero() {
            assertThat(h.run(h.coordinator.initProducerId(null, TIMEOUT_MS, -1, (short) -1, h.now))).isEqualTo(ProducerAnswer.ok(1000, (short) 0));
            assertThat(h.recordCount()).isZero();
        }

        @Test
        void shouldAnswerConcurrentTransactionsWhileAChangeIsPending() {
            h.init(TXN);
            CoordinatorResult<ProducerAnswer> first = h.coordinator.initProducerId(TXN, TIMEOUT_MS, -1, (short) -1, h.now);

            assertThat(h.init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
            assertThat(h.run(first)).isEqualTo(ProducerAnswer.ok(1000, (short) 1));
        }

        @Test
        void shouldAnswerConcurrentTransactionsWhileMarkersAreWritten() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            end(h, producer, true, TransactionVersion.TV_1);

            assertThat(h.init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        }

        @Test
        void shouldFenceAndAbortAnOngoingTransaction() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0, P1);

            assertThat(h.init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

            TransactionMetadata metadata = h.metadata(TXN);
            assertThat(metadata.state()).isEqualTo(PREPARE_ABORT);
            assertThat(metadata.producerEpoch()).isEqualTo((short) 1);
            assertThat(h.markers).singleElement().satisfies(m -> {
                assertThat(m.commit()).isFalse();
                assertThat(m.producerEpoch()).isEqualTo((short) 1);
                assertThat(m.partitions()).containsExactlyInAnyOrder(P0, P1);
            });
            h.deliverMarkers();
            assertThat(h.metadata(TXN).state()).isEqualTo(COMPLETE_ABORT);
            // The fenced epoch is never handed out: the retry bumps again.
            assertThat(h.init(TXN)).isEqualTo(ProducerAnswer.ok(1000, (short) 2));
        }

        @Test
        void shouldBumpOnlyOnceWhenFencingUnderTransactionVersionTwo() {
            CoordinatorHarness tv2 = new CoordinatorHarness(TransactionVersion.TV_2);
            ProducerAnswer producer = startTransaction(tv2, TransactionVersion.TV_2, P0);

            assertThat(tv2.init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

            assertThat(tv2.metadata(TXN).producerEpoch()).isEqualTo((short) 1);
            assertThat(tv2.lastRecord(TXN).value().producerEpoch()).isEqualTo((short) 1);
        }

        @Test
        void shouldNotBumpAgainAfterAFenceWhoseWriteFailed() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);

            assertThat(h.finish(h.coordinator.initProducerId(TXN, TIMEOUT_MS, -1, (short) -1, h.now), Errors.NOT_ENOUGH_REPLICAS).error())
                    .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
            assertThat(h.metadata(TXN).producerEpoch()).isEqualTo((short) 1);

            assertThat(h.init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
            assertThat(h.metadata(TXN).producerEpoch()).isEqualTo((short) 1);
        }

        @Test
        void shouldNotFencePastTheLastEpoch() {
            h.seed(TXN, 77, Short.MAX_VALUE, ONGOING, List.of(P0));

            assertThat(h.init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

            assertThat(h.metadata(TXN).producerEpoch()).isEqualTo(Short.MAX_VALUE);
            assertThat(h.metadata(TXN).state()).isEqualTo(PREPARE_ABORT);
        }

        @Test
        void shouldRotateTheProducerIdWhenAFenceExhaustsTheEpochUnderTransactionVersionTwo() {
            // KAFKA-20090: the abort that follows a fence takes the next producer id too.
            CoordinatorHarness tv2 = new CoordinatorHarness(TransactionVersion.TV_2);
            tv2.seed(TXN, 77, (short) 32766, ONGOING, List.of(P0));

            assertThat(tv2.init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
            assertThat(tv2.lastRecord(TXN).value().producerEpoch()).isEqualTo(Short.MAX_VALUE);
            assertThat(tv2.lastRecord(TXN).value().nextProducerId()).isEqualTo(1000);
            tv2.deliverMarkers();

            assertThat(tv2.metadata(TXN).producerId()).isEqualTo(1000);
            assertThat(tv2.init(TXN)).isEqualTo(ProducerAnswer.ok(1000, (short) 1));
        }

        @Test
        void shouldRotateTheProducerIdWhenTheEpochIsExhausted() {
            h.seed(TXN, 77, (short) 32766, COMPLETE_COMMIT, List.of());

            assertThat(h.init(TXN)).isEqualTo(ProducerAnswer.ok(1000, (short) 0));
            assertThat(h.metadata(TXN).previousProducerId()).isEqualTo(77);
        }

        @Test
        void shouldBumpWhenTheClientNamesItsCurrentEpoch() {
            ProducerAnswer producer = h.init(TXN);

            ProducerAnswer recovered = h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, producer.producerId(), producer.producerEpoch(), h.now));

            assertThat(recovered).isEqualTo(ProducerAnswer.ok(1000, (short) 1));
            assertThat(h.metadata(TXN).lastProducerEpoch()).isZero();
        }

        @Test
        void shouldAnswerARetryOfTheLastBumpWithTheCurrentEpoch() {
            ProducerAnswer producer = h.init(TXN);
            h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, producer.producerId(), producer.producerEpoch(), h.now));

            ProducerAnswer retry = h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, producer.producerId(), producer.producerEpoch(), h.now));

            assertThat(retry).isEqualTo(ProducerAnswer.ok(1000, (short) 1));
        }

        @Test
        void shouldFenceAnExpectedEpochThatIsNeitherCurrentNorLast() {
            h.init(TXN);
            h.init(TXN);
            h.init(TXN);

            assertThat(h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, 1000, (short) 0, h.now)).error()).isEqualTo(Errors.PRODUCER_FENCED);
        }

        @Test
        void shouldFenceAnUnknownExpectedProducerId() {
            h.init(TXN);

            assertThat(h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, 5, (short) 0, h.now)).error()).isEqualTo(Errors.PRODUCER_FENCED);
        }

        @Test
        void shouldAcceptThePreviousProducerIdWithAnExhaustedEpoch() {
            h.seed(TXN, 77, (short) 32766, COMPLETE_COMMIT, List.of());
            ProducerAnswer rotated = h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, 77, (short) 32766, h.now));
            assertThat(rotated).isEqualTo(ProducerAnswer.ok(1000, (short) 0));

            // The answer was lost: the client retries with what it had.
            ProducerAnswer retry = h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, 77, (short) 32766, h.now));

            assertThat(retry).isEqualTo(ProducerAnswer.ok(1000, (short) 0));
        }

        @Test
        void shouldFenceALastEpochRetryAfterACoordinatorMove() {
            ProducerAnswer producer = h.init(TXN);
            h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, producer.producerId(), producer.producerEpoch(), h.now));
            h.restart(COORDINATOR_EPOCH + 1);

            // The last epoch is not persisted, so the retry is no longer recognised (as in Kafka).
            assertThat(h.run(h.coordinator.initProducerId(TXN, TIMEOUT_MS, producer.producerId(), producer.producerEpoch(), h.now)).error())
                    .isEqualTo(Errors.PRODUCER_FENCED);
        }

        @Test
        void shouldPassOnTheErrorOfTheProducerIdSource() {
            h.producerIdsUnavailable = true;

            assertThat(h.init(TXN).error()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        }
    }

    @Nested
    class Ownership {

        @Test
        void shouldAnswerNotCoordinatorForAPartitionLedElsewhere() {
            h.coordinator.unloadPartition(h.coordinator.partitionFor(TXN));

            assertThat(h.init(TXN).error()).isEqualTo(Errors.NOT_COORDINATOR);
            assertThat(end(h, ProducerAnswer.ok(1, (short) 0), true, TransactionVersion.TV_1).error()).isEqualTo(Errors.NOT_COORDINATOR);
        }

        @Test
        void shouldAnswerLoadInProgressWhileThePartitionLoads() {
            h.coordinator.beginLoading(h.coordinator.partitionFor(TXN), COORDINATOR_EPOCH + 1);

            assertThat(h.init(TXN).error()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
            assertThat(h.coordinator.list(Set.of(), Set.of(), -1, null, h.now).errorCode())
                    .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
        }

        @Test
        void shouldAnswerNotCoordinatorWhenThePartitionMovedDuringTheWrite() {
            CoordinatorResult<ProducerAnswer> init = h.coordinator.initProducerId(TXN, TIMEOUT_MS, -1, (short) -1, h.now);
            h.coordinator.unloadPartition(init.partition());

            assertThat(h.run(init).error()).isEqualTo(Errors.NOT_COORDINATOR);
        }

        @Test
        void shouldMapAFailedWriteAndFreeTheId() {
            h.init(TXN);

            ProducerAnswer failed = h.finish(h.coordinator.initProducerId(TXN, TIMEOUT_MS, -1, (short) -1, h.now), Errors.NOT_LEADER_OR_FOLLOWER);

            assertThat(failed.error()).isEqualTo(Errors.NOT_COORDINATOR);
            assertThat(h.metadata(TXN).hasPendingTransition()).isFalse();
            assertThat(h.metadata(TXN).producerEpoch()).isZero();
        }

        @Test
        void shouldMapWriteErrorsAsKafka() {
            assertThat(WriteErrors.toClientError(Errors.REQUEST_TIMED_OUT)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
            assertThat(WriteErrors.toClientError(Errors.UNKNOWN_TOPIC_OR_PARTITION)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
            assertThat(WriteErrors.toClientError(Errors.KAFKA_STORAGE_ERROR)).isEqualTo(Errors.NOT_COORDINATOR);
            assertThat(WriteErrors.toClientError(Errors.RECORD_LIST_TOO_LARGE)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        }
    }

    @Nested
    class AddPartitions {

        @Test
        void shouldStartTheTransactionWithThePartitions() {
            ProducerAnswer producer = h.init(TXN);
            h.now += 10;

            assertThat(add(h, producer, TransactionVersion.TV_1, P0, Q0)).isEqualTo(Errors.NONE);

            TransactionMetadata metadata = h.metadata(TXN);
            assertThat(metadata.state()).isEqualTo(ONGOING);
            assertThat(metadata.partitions()).containsExactlyInAnyOrder(P0, Q0);
            assertThat(metadata.startTimestampMs()).isEqualTo(h.now);
            assertThat(h.lastRecord(TXN).value().partitions()).containsExactly(Q0, P0);
        }

        @Test
        void shouldAddToAnOngoingTransactionKeepingItsStart() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            long start = h.now;
            h.now += 10;

            add(h, producer, TransactionVersion.TV_1, P1);

            assertThat(h.metadata(TXN).partitions()).containsExactlyInAnyOrder(P0, P1);
            assertThat(h.metadata(TXN).startTimestampMs()).isEqualTo(start);
        }

        @Test
        void shouldAnswerAtOnceWhenEveryPartitionIsInTheTransaction() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0, P1);
            int records = h.recordCount();

            CoordinatorResult<Errors> again = h.coordinator.addPartitions(TXN, 1000, (short) 0, List.of(P1), TransactionVersion.TV_1, h.now);

            assertThat(again.needsWrite()).isFalse();
            assertThat(again.answer()).isEqualTo(Errors.NONE);
            assertThat(h.recordCount()).isEqualTo(records);
        }

        @Test
        void shouldRefuseUnknownIdsAndOtherProducers() {
            assertThat(h.run(h.coordinator.addPartitions("", 1, (short) 0, List.of(P0), TransactionVersion.TV_1, h.now)))
                    .isEqualTo(Errors.INVALID_REQUEST);
            assertThat(add(h, ProducerAnswer.ok(1000, (short) 0), TransactionVersion.TV_1, P0)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
            h.init(TXN);
            assertThat(add(h, ProducerAnswer.ok(999, (short) 0), TransactionVersion.TV_1, P0)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
            assertThat(add(h, ProducerAnswer.ok(1000, (short) 1), TransactionVersion.TV_1, P0)).isEqualTo(Errors.PRODUCER_FENCED);
        }

        @Test
        void shouldAnswerConcurrentTransactionsWhilePendingOrPrepared() {
            ProducerAnswer producer = h.init(TXN);
            CoordinatorResult<Errors> first = h.coordinator.addPartitions(TXN, 1000, (short) 0, List.of(P0), TransactionVersion.TV_1, h.now);
            assertThat(add(h, producer, TransactionVersion.TV_1, P1)).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
            h.run(first);

            end(h, producer, true, TransactionVersion.TV_1);

            assertThat(add(h, producer, TransactionVersion.TV_1, P1)).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        }

        @Test
        void shouldWriteTheClientsTransactionVersion() {
            CoordinatorHarness tv2 = new CoordinatorHarness(TransactionVersion.TV_2);
            ProducerAnswer producer = startTransaction(tv2, TransactionVersion.TV_2, P0);

            assertThat(tv2.lastRecord(TXN).value().clientTransactionVersion()).isEqualTo((short) 2);
            assertThat(tv2.metadata(TXN).clientVersion()).isEqualTo(TransactionVersion.TV_2);
        }
    }

    @Nested
    class VerifyPartitions {

        @Test
        void shouldTellWhichPartitionsAreInTheTransaction() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);

            assertThat(h.coordinator.verifyPartitions(TXN, 1000, (short) 0, List.of(P0, P1)))
                    .containsEntry(P0, Errors.NONE).containsEntry(P1, Errors.TRANSACTION_ABORTABLE);
        }

        @Test
        void shouldRefuseOtherProducersAndPreparedTransactions() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);

            assertThat(h.coordinator.verifyPartitions(TXN, 999, (short) 0, List.of(P0))).containsEntry(P0, Errors.INVALID_PRODUCER_ID_MAPPING);
            assertThat(h.coordinator.verifyPartitions(TXN, 1000, (short) 1, List.of(P0))).containsEntry(P0, Errors.PRODUCER_FENCED);
            assertThat(h.coordinator.verifyPartitions("", 1000, (short) 0, List.of(P0))).containsEntry(P0, Errors.INVALID_REQUEST);
            end(h, producer, false, TransactionVersion.TV_1);
            assertThat(h.coordinator.verifyPartitions(TXN, 1000, (short) 0, List.of(P0))).containsEntry(P0, Errors.CONCURRENT_TRANSACTIONS);
        }
    }

    @Nested
    class EndTxnProtocolOne {

        @Test
        void shouldPrepareTheCommitAndHandOutTheMarkers() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0, Q0);

            assertThat(end(h, producer, true, TransactionVersion.TV_1)).isEqualTo(ProducerAnswer.ok(1000, (short) 0));

            assertThat(h.metadata(TXN).state()).isEqualTo(PREPARE_COMMIT);
            assertThat(h.metadata(TXN).pendingState()).isEqualTo(COMPLETE_COMMIT);
            assertThat(h.lastRecord(TXN).value().status()).isEqualTo(PREPARE_COMMIT.id());
            assertThat(h.markers).singleElement().satisfies(m -> {
                assertThat(m.commit()).isTrue();
                assertThat(m.coordinatorEpoch()).isEqualTo(COORDINATOR_EPOCH);
                assertThat(m.partitions()).containsExactlyInAnyOrder(P0, Q0);
            });
        }

        @Test
        void shouldCompleteOnlyOnceEveryMarkerIsWritten() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0, Q0);
            end(h, producer, true, TransactionVersion.TV_1);

            CoordinatorResult<Errors> first = h.coordinator.onMarkerWritten(TXN, COORDINATOR_EPOCH, P0, Errors.NONE, h.now);
            assertThat(first.needsWrite()).isFalse();
            assertThat(h.coordinator.onMarkerWritten(TXN, COORDINATOR_EPOCH, Q0, Errors.NOT_LEADER_OR_FOLLOWER, h.now).needsWrite()).isFalse();
            assertThat(h.metadata(TXN).partitions()).containsExactly(Q0);

            CoordinatorResult<Errors> last = h.coordinator.onMarkerWritten(TXN, COORDINATOR_EPOCH, Q0, Errors.NONE, h.now);
            assertThat(h.coordinator.onMarkerWritten(TXN, COORDINATOR_EPOCH, Q0, Errors.NONE, h.now).needsWrite()).isFalse();
            assertThat(h.run(last)).isEqualTo(Errors.NONE);

            assertThat(h.metadata(TXN).state()).isEqualTo(COMPLETE_COMMIT);
            assertThat(h.metadata(TXN).partitions()).isEmpty();
            assertThat(h.lastRecord(TXN).value().status()).isEqualTo(COMPLETE_COMMIT.id());
        }

        @Test
        void shouldKeepACompletionThatDidNotReachTheReplicasForARetry() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            end(h, producer, true, TransactionVersion.TV_1);
            CoordinatorResult<Errors> complete = h.coordinator.onMarkerWritten(TXN, COORDINATOR_EPOCH, P0, Errors.NONE, h.now);

            assertThat(h.finish(complete, Errors.NOT_ENOUGH_REPLICAS)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
            assertThat(h.metadata(TXN).pendingState()).isEqualTo(COMPLETE_COMMIT);

            assertThat(h.run(h.coordinator.writeCompletion(TXN, COORDINATOR_EPOCH, h.now))).isEqualTo(Errors.NONE);
            assertThat(h.metadata(TXN).state()).isEqualTo(COMPLETE_COMMIT);
            assertThat(h.metadata(TXN).hasPendingTransition()).isFalse();
        }

        @Test
        void shouldNotWriteTheCompletionTwiceForADuplicateAcknowledgement() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            end(h, producer, false, TransactionVersion.TV_1);
            CoordinatorResult<Errors> complete = h.coordinator.onMarkerWritten(TXN, COORDINATOR_EPOCH, P0, Errors.NONE, h.now);

            assertThat(h.coordinator.onMarkerWritten(TXN, COORDINATOR_EPOCH, P0, Errors.NONE, h.now).needsWrite()).isFalse();
            assertThat(h.coordinator.writeCompletion(TXN, COORDINATOR_EPOCH, h.now).needsWrite()).isFalse();
            assertThat(h.run(complete)).isEqualTo(Errors.NONE);
        }

        @Test
        void shouldAnswerNoneToARetryAfterCompletion() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            end(h, producer, true, TransactionVersion.TV_1);
            h.deliverMarkers();

            assertThat(end(h, producer, true, TransactionVersion.TV_1)).isEqualTo(ProducerAnswer.ok(1000, (short) 0));
            assertThat(end(h, producer, false, TransactionVersion.TV_1).error()).isEqualTo(Errors.INVALID_TXN_STATE);
        }

        @Test
        void shouldAnswerConcurrentTransactionsWhileTheSameOutcomeIsPrepared() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            end(h, producer, false, TransactionVersion.TV_1);

            assertThat(end(h, producer, false, TransactionVersion.TV_1).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
            assertThat(end(h, producer, true, TransactionVersion.TV_1).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        }

        @Test
        void shouldRefuseToEndATransactionThatDidNotStart() {
            ProducerAnswer producer = h.init(TXN);

            assertThat(end(h, producer, true, TransactionVersion.TV_1).error()).isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(end(h, producer, false, TransactionVersion.TV_1).error()).isEqualTo(Errors.INVALID_TXN_STATE);
        }

        @Test
        void shouldCheckTheProducerBeforeTheState() {
            assertThat(end(h, ProducerAnswer.ok(1000, (short) 0), true, TransactionVersion.TV_1).error())
                    .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);

            assertThat(end(h, ProducerAnswer.ok(999, (short) 0), true, TransactionVersion.TV_1).error())
                    .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
            assertThat(end(h, ProducerAnswer.ok(1000, (short) 1), true, TransactionVersion.TV_1).error()).isEqualTo(Errors.PRODUCER_FENCED);
            assertThat(h.run(h.coordinator.endTxn("", 1000, (short) 0, true, TransactionVersion.TV_1, h.now)).error())
                    .isEqualTo(Errors.INVALID_REQUEST);
        }

        @Test
        void shouldAnswerConcurrentTransactionsWhileAnAddIsPending() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            h.coordinator.addPartitions(TXN, 1000, (short) 0, List.of(P1), TransactionVersion.TV_1, h.now);

            assertThat(end(h, producer, true, TransactionVersion.TV_1).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        }
    }

    @Nested
    class EndTxnProtocolTwo {

        private final CoordinatorHarness tv2 = new CoordinatorHarness(TransactionVersion.TV_2);

        private ProducerAnswer ongoing(TopicPartition... partitions) {
            ProducerAnswer producer = startTransaction(tv2, TransactionVersion.TV_2, partitions);
            return producer;
        }

        @Test
        void shouldBumpTheEpochAtEveryCommit() {
            ProducerAnswer producer = ongoing(P0);

            ProducerAnswer next = end(tv2, producer, true, TransactionVersion.TV_2);

            assertThat(next).isEqualTo(ProducerAnswer.ok(1000, (short) 1));
            assertThat(tv2.lastRecord(TXN).value().producerEpoch()).isEqualTo((short) 1);
            assertThat(tv2.markers).singleElement().satisfies(m -> {
                assertThat(m.producerEpoch()).isEqualTo((short) 1);
                assertThat(m.clientVersion()).isEqualTo(TransactionVersion.TV_2);
            });
        }

        @Test
        void shouldAnswerARetryOfACompletedCommitWithTheNewEpoch() {
            ProducerAnswer producer = ongoing(P0);
            end(tv2, producer, true, TransactionVersion.TV_2);
            tv2.deliverMarkers();

            assertThat(end(tv2, producer, true, TransactionVersion.TV_2)).isEqualTo(ProducerAnswer.ok(1000, (short) 1));
            assertThat(end(tv2, producer, false, TransactionVersion.TV_2).error()).isEqualTo(Errors.INVALID_TXN_STATE);
        }

        @Test
        void shouldAbortWithoutPartitionsFromEmpty() {
            ProducerAnswer producer = tv2.init(TXN);
            tv2.now += 10;

            ProducerAnswer next = end(tv2, producer, false, TransactionVersion.TV_2);

            assertThat(next).isEqualTo(ProducerAnswer.ok(1000, (short) 1));
            assertThat(tv2.metadata(TXN).startTimestampMs()).isEqualTo(tv2.now);
            assertThat(tv2.markers).singleElement().satisfies(m -> assertThat(m.partitions()).isEmpty());
            tv2.deliverMarkers();
            assertThat(tv2.metadata(TXN).state()).isEqualTo(COMPLETE_ABORT);
        }

        @Test
        void shouldApplyTheStateTableForIdleTransactions() {
            ProducerAnswer producer = tv2.init(TXN);
            assertThat(end(tv2, producer, true, TransactionVersion.TV_2).error()).isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(end(tv2, ProducerAnswer.ok(1000, (short) -1), false, TransactionVersion.TV_2).error()).isEqualTo(Errors.PRODUCER_FENCED);

            ProducerAnswer afterAbort = end(tv2, producer, false, TransactionVersion.TV_2);
            tv2.deliverMarkers();
            // CompleteAbort: a retry of the abort is done, a commit is not, a new abort bumps again.
            assertThat(end(tv2, producer, false, TransactionVersion.TV_2)).isEqualTo(afterAbort);
            assertThat(end(tv2, afterAbort, true, TransactionVersion.TV_2).error()).isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(end(tv2, afterAbort, false, TransactionVersion.TV_2)).isEqualTo(ProducerAnswer.ok(1000, (short) 2));
        }

        @Test
        void shouldAbortAfterACommitAndRefuseARetriedAbort() {
            ProducerAnswer producer = ongoing(P0);
            ProducerAnswer next = end(tv2, producer, true, TransactionVersion.TV_2);
            tv2.deliverMarkers();

            assertThat(end(tv2, next, true, TransactionVersion.TV_2).error()).isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(end(tv2, next, false, TransactionVersion.TV_2)).isEqualTo(ProducerAnswer.ok(1000, (short) 2));
        }

        @Test
        void shouldFenceARetryOfAnOngoingTransaction() {
            ProducerAnswer producer = ongoing(P0);

            assertThat(end(tv2, ProducerAnswer.ok(1000, (short) -1), true, TransactionVersion.TV_2).error()).isEqualTo(Errors.PRODUCER_FENCED);
            assertThat(end(tv2, ProducerAnswer.ok(1000, (short) 1), true, TransactionVersion.TV_2).error()).isEqualTo(Errors.PRODUCER_FENCED);
            assertThat(end(tv2, producer, false, TransactionVersion.TV_2).error()).isEqualTo(Errors.NONE);
        }

        @Test
        void shouldCheckThePendingStateBeforeTheEpoch() {
            // KAFKA-18464: an empty abort sent right after a commit must not fence the producer itself.
            ProducerAnswer producer = ongoing(P0);
            ProducerAnswer next = end(tv2, producer, true, TransactionVersion.TV_2);

            assertThat(end(tv2, next, false, TransactionVersion.TV_2).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
            assertThat(end(tv2, ProducerAnswer.ok(999, (short) 7), false, TransactionVersion.TV_2).error())
                    .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        }

        @Test
        void shouldRotateTheProducerIdWhenACommitExhaustsTheEpoch() {
            tv2.seed(TXN, 77, (short) 32766, ONGOING, List.of(P0));
            ProducerAnswer producer = ProducerAnswer.ok(77, (short) 32766);

            ProducerAnswer next = end(tv2, producer, true, TransactionVersion.TV_2);

            assertThat(next).isEqualTo(ProducerAnswer.ok(1000, (short) 0));
            assertThat(tv2.markers).singleElement().satisfies(m -> {
                assertThat(m.producerId()).isEqualTo(77);
                assertThat(m.producerEpoch()).isEqualTo(Short.MAX_VALUE);
            });
            assertThat(tv2.lastRecord(TXN).value().nextProducerId()).isEqualTo(1000);
            tv2.deliverMarkers();
            TransactionMetadata metadata = tv2.metadata(TXN);
            assertThat(metadata.producerId()).isEqualTo(1000);
            assertThat(metadata.producerEpoch()).isZero();
            assertThat(metadata.previousProducerId()).isEqualTo(77);
            // The answer was lost: the retry names the old producer and is told the new one.
            assertThat(end(tv2, producer, true, TransactionVersion.TV_2)).isEqualTo(ProducerAnswer.ok(1000, (short) 0));
        }
    }

    @Nested
    class Timeouts {

        @Test
        void shouldAbortATransactionThatOutlivedItsTimeout() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);

            h.now += TIMEOUT_MS;
            assertThat(h.coordinator.abortTimedOut(h.now)).isEmpty();
            h.now += 1;
            List<CoordinatorResult<ProducerAnswer>> aborts = h.coordinator.abortTimedOut(h.now);

            assertThat(aborts).hasSize(1);
            assertThat(h.run(aborts.get(0)).error()).isEqualTo(Errors.NONE);
            assertThat(h.metadata(TXN).state()).isEqualTo(PREPARE_ABORT);
            assertThat(h.metadata(TXN).producerEpoch()).isEqualTo((short) 1);
            assertThat(end(h, producer, true, TransactionVersion.TV_1).error()).isEqualTo(Errors.PRODUCER_FENCED);
        }

        @Test
        void shouldSkipATransactionWithAPendingChange() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            h.coordinator.endTxn(TXN, 1000, (short) 0, true, TransactionVersion.TV_1, h.now);

            assertThat(h.coordinator.abortTimedOut(h.now + TIMEOUT_MS + 1)).isEmpty();
        }
    }

    @Nested
    class Expiry {

        private static final long EXPIRATION_MS = 604_800_000L;

        @Test
        void shouldRemoveAnIdleIdOnceItsTombstoneIsWritten() {
            h.init(TXN);
            assertThat(h.coordinator.expireTransactionalIds(h.now + EXPIRATION_MS - 1)).isEmpty();

            List<CoordinatorResult<Errors>> writes = h.coordinator.expireTransactionalIds(h.now + EXPIRATION_MS);

            assertThat(writes).singleElement().satisfies(w -> assertThat(w.records()).singleElement()
                    .satisfies(r -> assertThat(r.isTombstone()).isTrue()));
            assertThat(h.init(TXN).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
            // Dead is only pending: until the tombstone is written the id still describes as Empty, as in Kafka.
            assertThat(h.coordinator.describe(TXN).transactionState()).isEqualTo("Empty");
            h.run(writes.get(0));
            assertThat(h.coordinator.describe(TXN).errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
            assertThat(h.metadata(TXN)).isNull();
            assertThat(h.lastRecord(TXN).isTombstone()).isTrue();
        }

        @Test
        void shouldKeepTheIdWhenTheTombstoneWriteFails() {
            h.init(TXN);

            h.finish(h.coordinator.expireTransactionalIds(h.now + EXPIRATION_MS).get(0), Errors.NOT_ENOUGH_REPLICAS);

            assertThat(h.metadata(TXN).state()).isEqualTo(EMPTY);
            assertThat(h.metadata(TXN).hasPendingTransition()).isFalse();
        }

        @Test
        void shouldNotExpireAnOngoingTransaction() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);

            assertThat(h.coordinator.expireTransactionalIds(h.now + EXPIRATION_MS * 2)).isEmpty();
        }
    }

    @Nested
    class DescribeAndList {

        @Test
        void shouldDescribeATransaction() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0, P1, Q0);

            DescribeTransactionsResponseData.TransactionState state = h.coordinator.describe(TXN);

            assertThat(state.errorCode()).isZero();
            assertThat(state.transactionState()).isEqualTo("Ongoing");
            assertThat(state.producerId()).isEqualTo(1000);
            assertThat(state.transactionTimeoutMs()).isEqualTo(TIMEOUT_MS);
            assertThat(state.transactionStartTimeMs()).isEqualTo(h.now);
            assertThat(state.topics()).extracting(DescribeTransactionsResponseData.TopicData::topic).containsExactly("audit", "orders");
            assertThat(state.topics().find("orders").partitions()).containsExactly(0, 1);
        }

        @Test
        void shouldDescribeUnknownAndInvalidIds() {
            assertThat(h.coordinator.describe("nobody").errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
            assertThat(h.coordinator.describe("").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        }

        @Test
        void shouldListWithEveryFilter() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            h.init("other");
            h.now += 100;

            assertThat(ids(h.coordinator.list(Set.of(), Set.of(), -1, null, h.now))).containsExactlyInAnyOrder(TXN, "other");
            assertThat(ids(h.coordinator.list(Set.of("Ongoing"), Set.of(), -1, null, h.now))).containsExactly(TXN);
            assertThat(ids(h.coordinator.list(Set.of(), Set.of(1001L), -1, null, h.now))).containsExactly("other");
            assertThat(ids(h.coordinator.list(Set.of("Ongoing"), Set.of(), 99, null, h.now))).containsExactly(TXN);
            assertThat(ids(h.coordinator.list(Set.of("Ongoing"), Set.of(), 100, null, h.now))).isEmpty();
            assertThat(ids(h.coordinator.list(Set.of(), Set.of(), -1, "oth.*", h.now))).containsExactly("other");
            assertThat(ids(h.coordinator.list(Set.of(), Set.of(), -1, "oth", h.now))).isEmpty();
        }

        @Test
        void shouldEchoUnknownStatesAndRefuseABadPattern() {
            h.init(TXN);

            ListTransactionsResponseData unknown = h.coordinator.list(Set.of("Bogus"), Set.of(), -1, null, h.now);
            assertThat(unknown.unknownStateFilters()).containsExactly("Bogus");
            assertThat(unknown.transactionStates()).isEmpty();
            assertThat(h.coordinator.list(Set.of(), Set.of(), -1, "(", h.now).errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
        }

        private List<String> ids(ListTransactionsResponseData data) {
            assertThat(data.errorCode()).isZero();
            return data.transactionStates().stream().map(ListTransactionsResponseData.TransactionState::transactionalId).toList();
        }
    }

    @Nested
    class Loading {

        @Test
        void shouldReloadTheSameStateFromTheLog() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0, Q0);
            h.init("idle");
            ProducerAnswer other = h.init("done");
            h.run(h.coordinator.addPartitions("done", other.producerId(), other.producerEpoch(), List.of(P1), TransactionVersion.TV_1, h.now));
            h.run(h.coordinator.endTxn("done", other.producerId(), other.producerEpoch(), true, TransactionVersion.TV_1, h.now));
            h.deliverMarkers();

            TransactionCoordinator reloaded = h.reload(TransactionVersion.TV_1, COORDINATOR_EPOCH + 1);

            for (String id : List.of(TXN, "idle", "done")) {
                assertThat(reloaded.metadata(id).persistedView()).as(id).isEqualTo(h.metadata(id).persistedView());
            }
        }

        @Test
        void shouldResumeAPreparedTransactionAfterAMove() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0, Q0);
            end(h, producer, true, TransactionVersion.TV_1);
            h.run(h.coordinator.onMarkerWritten(TXN, COORDINATOR_EPOCH, P0, Errors.NONE, h.now));

            h.restart(COORDINATOR_EPOCH + 1);

            // The marker written before the move is not known to the log: both are sent again.
            assertThat(h.markers).singleElement().satisfies(m -> {
                assertThat(m.coordinatorEpoch()).isEqualTo(COORDINATOR_EPOCH + 1);
                assertThat(m.partitions()).containsExactlyInAnyOrder(P0, Q0);
            });
            assertThat(h.metadata(TXN).pendingState()).isEqualTo(COMPLETE_COMMIT);
            h.deliverMarkers();
            assertThat(h.metadata(TXN).state()).isEqualTo(COMPLETE_COMMIT);
        }

        @Test
        void shouldDropMarkerFeedbackOfAnOldCoordinatorEpoch() {
            ProducerAnswer producer = startTransaction(h, TransactionVersion.TV_1, P0);
            end(h, producer, true, TransactionVersion.TV_1);
            h.restart(COORDINATOR_EPOCH + 1);

            CoordinatorResult<Errors> stale = h.coordinator.onMarkerWritten(TXN, COORDINATOR_EPOCH, P0, Errors.NONE, h.now);

            assertThat(stale.answer()).isEqualTo(Errors.NOT_COORDINATOR);
            assertThat(h.metadata(TXN).partitions()).containsExactly(P0);
        }

        @Test
        void shouldRemoveAnIdOnReplayOfItsTombstone() {
            h.init(TXN);
            h.run(h.coordinator.expireTransactionalIds(h.now + 604_800_000L).get(0));

            assertThat(h.reload(TransactionVersion.TV_1, COORDINATOR_EPOCH + 1).metadata(TXN)).isNull();
        }
    }
}
