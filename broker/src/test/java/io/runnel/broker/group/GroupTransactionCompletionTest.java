package io.runnel.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.SingleBroker;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.coordinator.InternalTopic;
import io.runnel.broker.partition.Purgatory;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.group.GroupRequestContext;
import io.runnel.storage.log.PartitionLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GroupCoordinatorRuntime#completeTransaction} on a single broker with a real
 * {@code __consumer_offsets} log: TxnOffsetCommit opens a transaction in the log, the marker closes
 * it, the log checks the producer epoch of the marker, and pending and committed offsets come back
 * from the log when the coordinator starts again.
 */
class GroupTransactionCompletionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final TopicPartition OFFSETS_0 = new TopicPartition(OffsetsTopic.NAME, 0);
    private static final String GROUP = "eos-app";
    private static final String TOPIC = "input";
    private static final long PRODUCER = 4000;
    private static final long OTHER_PRODUCER = 5000;
    private static final short EPOCH = 2;
    private static final int TXN_COORDINATOR_EPOCH = 0;
    private static final short UNKNOWN_TXN_VERSION = -1;
    private static final GroupRequestContext TXN_V3 = new GroupRequestContext("producer", "/127.0.0.1", (short) 3);

    @TempDir
    Path dir;
    private SingleBroker broker;
    private ScheduledThreadPoolExecutor timer;
    private InternalTopic offsetsTopic;
    private BrokerConfig config;
    private GroupCoordinatorRuntime groups;

    @BeforeEach
    void start() throws Exception {
        broker = SingleBroker.start(dir, CLOCK);
        timer = new ScheduledThreadPoolExecutor(1);
        config = BrokerConfig.parse(Map.of("log.dirs", dir.resolve("logs").toString(), "offsets.topic.num.partitions", "1"));
        offsetsTopic = OffsetsTopic.create(broker.controller(), broker.partitions(), 1, 100 * 1024 * 1024, (short) 1);
        broker.controller().createTopic(TOPIC, 2, 1, Map.of(), Map.of(), false);
        groups = startGroups();
        groups.ensureOffsetsTopic();
    }

    @AfterEach
    void stop() throws Exception {
        groups.close();
        timer.shutdownNow();
        broker.close();
    }

    @Test
    void shouldCommitTheTransactionsOffsetsWithAMarkerThatClosesItInTheLog() {
        assertThat(txnCommit(PRODUCER, 0, 42)).isEqualTo(Errors.NONE);
        PartitionLog log = broker.partitions().partition(OFFSETS_0).orElseThrow().log();
        assertThat(log.lastStableOffset()).isLessThan(log.logEndOffset());
        assertThat(fetched(0, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());

        assertThat(groups.completeTransaction(OFFSETS_0, PRODUCER, EPOCH, TXN_COORDINATOR_EPOCH, true, UNKNOWN_TXN_VERSION).join())
                .isEqualTo(Errors.NONE);

        assertThat(log.lastStableOffset()).isEqualTo(log.logEndOffset());
        assertThat(fetched(0, true).committedOffset()).isEqualTo(42);
    }

    @Test
    void shouldAnswerTheLogsErrorForAMarkerOfAStaleProducerEpochAndKeepTheOffsetsPending() {
        txnCommit(PRODUCER, 0, 42);

        assertThat(groups.completeTransaction(OFFSETS_0, PRODUCER, (short) (EPOCH - 1), TXN_COORDINATOR_EPOCH, true, UNKNOWN_TXN_VERSION)
                .join()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);

        assertThat(fetched(0, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
    }

    @Test
    void shouldBringBackCommittedAndPendingTransactionalOffsetsWhenTheCoordinatorStartsAgain() {
        txnCommit(PRODUCER, 0, 42);
        groups.completeTransaction(OFFSETS_0, PRODUCER, EPOCH, TXN_COORDINATOR_EPOCH, true, UNKNOWN_TXN_VERSION).join();
        txnCommit(OTHER_PRODUCER, 1, 7);

        groups.close();
        groups = startGroups();

        assertThat(fetched(0, true).committedOffset()).isEqualTo(42);
        assertThat(fetched(1, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(groups.completeTransaction(OFFSETS_0, OTHER_PRODUCER, EPOCH, TXN_COORDINATOR_EPOCH, false, UNKNOWN_TXN_VERSION).join())
                .isEqualTo(Errors.NONE);
        assertThat(fetched(1, true).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetched(1, true).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldRefuseToCompleteATransactionOnAnotherTopic() {
        assertThat(groups.completeTransaction(new TopicPartition(TOPIC, 0), PRODUCER, EPOCH, TXN_COORDINATOR_EPOCH, true, UNKNOWN_TXN_VERSION)
                .join()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void shouldMapTheCoordinatorsErrorsToNotLeaderOrFollowerAsKafkaDoes() {
        assertThat(List.of(Errors.NOT_COORDINATOR, Errors.COORDINATOR_NOT_AVAILABLE, Errors.COORDINATOR_LOAD_IN_PROGRESS))
                .allSatisfy(error -> assertThat(GroupCoordinatorRuntime.markerError(error)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER));
        assertThat(GroupCoordinatorRuntime.markerError(Errors.TRANSACTION_COORDINATOR_FENCED)).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
    }

    private GroupCoordinatorRuntime startGroups() {
        return GroupCoordinatorRuntime.start(config.groupConfig(), offsetsTopic, broker.controller(), broker.partitions(), new Purgatory(timer),
                CLOCK);
    }

    private Errors txnCommit(long producerId, int partition, long offset) {
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData().setTransactionalId("txn-" + producerId).setGroupId(GROUP)
                .setProducerId(producerId).setProducerEpoch(EPOCH).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(TOPIC)
                        .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(partition).setCommittedOffset(offset)))));
        TransactionalWrite write = TransactionalWrite.unverified(producerId, EPOCH);
        return Errors.forCode(groups.call(coordinator -> coordinator.txnOffsetCommit(TXN_V3, request, write)).join()
                .topics().get(0).partitions().get(0).errorCode());
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetched(int partition, boolean requireStable) {
        OffsetFetchRequestData.OffsetFetchRequestGroup request = new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(GROUP)
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC).setPartitionIndexes(List.of(partition))));
        OffsetFetchResponseData.OffsetFetchResponseGroup response = groups.call(coordinator -> coordinator.offsetFetch(
                new GroupRequestContext("consumer", "/127.0.0.1", (short) 9), request, requireStable)).join();
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        return response.topics().get(0).partitions().get(0);
    }
}
