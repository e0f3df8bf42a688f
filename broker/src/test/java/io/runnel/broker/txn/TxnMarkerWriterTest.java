package io.runnel.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.ImageFixture;
import io.runnel.broker.partition.LocalPartitions;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.Purgatory;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.producer.TxnMarker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Markers written to partitions broker 1 leads alone, leads with a follower, follows, or does not have. */
class TxnMarkerWriterTest {

    private static final TopicPartition ALONE = new TopicPartition("alone", 0);
    private static final TopicPartition REPLICATED = new TopicPartition("replicated", 0);
    private static final TopicPartition FOLLOWED = new TopicPartition("followed", 0);
    private static final TopicPartition OFFSETS = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, 0);
    private static final long PRODUCER_ID = 42;
    private static final short EPOCH = 3;
    private static final short TV = TxnMarker.UNKNOWN_TRANSACTION_VERSION;
    private static final long TIMEOUT_MS = 200;

    @TempDir
    Path dir;
    private LocalPartitions local;
    private ScheduledExecutorService timer;
    private Purgatory purgatory;
    private PartitionRegistry partitions;

    @BeforeEach
    void setUp() throws Exception {
        local = LocalPartitions.of(dir, new ImageFixture().brokers(1, 2)
                .topic("alone", ImageFixture.partition(0, 1))
                .topic("replicated", ImageFixture.partition(0, 1, 2))
                .topic("followed", ImageFixture.partition(0, 2, 1))
                .topic(Topic.GROUP_METADATA_TOPIC_NAME, ImageFixture.partition(0, 1))
                .image());
        partitions = local.registry();
        timer = Executors.newSingleThreadScheduledExecutor();
        purgatory = new Purgatory(timer);
    }

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
        local.close();
    }

    @Test
    void shouldCommitAnOpenTransactionAndMoveTheLastStableOffsetPastItsMarker() {
        Partition partition = local.led(ALONE);
        openTransaction(partition);
        assertThat(partition.log().lastStableOffset()).isZero();

        assertThat(writer().write(ALONE, PRODUCER_ID, EPOCH, 1, true, TV)).isCompletedWithValue(Errors.NONE);

        assertThat(partition.log().lastStableOffset()).isEqualTo(3);
        assertThat(partition.log().abortedTransactions(0, 3)).isEmpty();
        assertThat(partition.log().activeProducers()).singleElement().satisfies(producer -> assertThat(producer.coordinatorEpoch()).isEqualTo(1));
    }

    @Test
    void shouldIndexAnAbortedTransaction() {
        Partition partition = local.led(ALONE);
        openTransaction(partition);

        assertThat(writer().write(ALONE, PRODUCER_ID, EPOCH, 1, false, TV)).isCompletedWithValue(Errors.NONE);

        assertThat(partition.log().abortedTransactions(0, 3)).singleElement().satisfies(aborted -> {
            assertThat(aborted.producerId()).isEqualTo(PRODUCER_ID);
            assertThat(aborted.firstOffset()).isZero();
            assertThat(aborted.lastOffset()).isEqualTo(2);
        });
    }

    @Test
    void shouldAnswerTheProducerStateErrorsOfAStaleMarker() {
        openTransaction(local.led(ALONE));
        TxnMarkerWriter writer = writer();

        assertThat(writer.write(ALONE, PRODUCER_ID, (short) (EPOCH - 1), 1, true, TV)).isCompletedWithValue(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(writer.write(ALONE, PRODUCER_ID, EPOCH, 5, true, TV)).isCompletedWithValue(Errors.NONE);
        assertThat(writer.write(ALONE, PRODUCER_ID, EPOCH, 4, true, TV)).isCompletedWithValue(Errors.TRANSACTION_COORDINATOR_FENCED);
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionWithoutAReplicaAndNotLeaderOrFollowerOnAFollower() {
        TxnMarkerWriter writer = writer();

        assertThat(writer.write(new TopicPartition("absent", 0), PRODUCER_ID, EPOCH, 0, true, TV))
                .isCompletedWithValue(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(writer.write(FOLLOWED, PRODUCER_ID, EPOCH, 0, true, TV)).isCompletedWithValue(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void shouldSettleOnceTheFollowerHasTheMarkerOrTimeOut() {
        Partition partition = local.led(REPLICATED);
        TxnMarkerWriter writer = writer();

        CompletableFuture<Errors> replicated = writer.write(REPLICATED, PRODUCER_ID, EPOCH, 0, true, TV);
        assertThat(replicated).isNotDone();
        partition.readForFollower(2, -1, partition.log().logEndOffset(), 0, 1 << 20, true);
        purgatory.wake(REPLICATED);
        assertThat(replicated).isCompletedWithValue(Errors.NONE);

        CompletableFuture<Errors> unreplicated = writer.write(REPLICATED, PRODUCER_ID, EPOCH, 0, false, TV);
        assertThat(unreplicated).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(Errors.REQUEST_TIMED_OUT);
    }

    @Test
    void shouldHandOffsetsTopicMarkersToTheGroupCoordinatorAndAskForARetryWhileItIsNotReady() {
        TxnMarkerWriter writer = new TxnMarkerWriter(partitions, purgatory, TIMEOUT_MS,
                (partition, producerId, producerEpoch, coordinatorEpoch, commit, transactionVersion) ->
                        CompletableFuture.failedFuture(new CoordinatorLoadInProgressException("loading")));

        assertThat(writer.write(OFFSETS, PRODUCER_ID, EPOCH, 0, true, TV)).isCompletedWithValue(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(local.led(OFFSETS).log().logEndOffset()).isZero();
    }

    private TxnMarkerWriter writer() {
        return new TxnMarkerWriter(partitions, purgatory, TIMEOUT_MS, (partition, producerId, producerEpoch, coordinatorEpoch, commit, version) ->
                CompletableFuture.failedFuture(new IllegalStateException("no __consumer_offsets marker expected")));
    }

    /** Two records of a transaction of {@link #PRODUCER_ID} at offsets 0 and 1. */
    private static void openTransaction(Partition partition) {
        SimpleRecord[] records = {new SimpleRecord("a".getBytes(StandardCharsets.UTF_8)), new SimpleRecord("b".getBytes(StandardCharsets.UTF_8))};
        partition.appendAsLeader(MemoryRecords.withTransactionalRecords(Compression.NONE, PRODUCER_ID, EPOCH, 0, records).buffer(), true);
    }
}
