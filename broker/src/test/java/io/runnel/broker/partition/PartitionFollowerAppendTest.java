package io.runnel.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.TxnMarker;
import io.runnel.storage.producer.VerificationGuard;
import io.runnel.storage.txn.AbortedTxn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower's append of what its leader answered (found by {@link ReplicationSimulationTest}, seed 0). */
class PartitionFollowerAppendTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long PRODUCER_ID = 7;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;
    private LogManager logs;
    private Partition follower;

    @BeforeEach
    void setUp() throws Exception {
        logs = LogManager.open(List.of(dir), Clock.systemUTC());
        PartitionRegistration registration = new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), 1, 0, 0);
        PartitionLog log = logs.getOrCreateLog(TP, Uuid.randomUuid(), LogConfig.defaults(), true);
        RecordingReplicationContext context = new RecordingReplicationContext(30_000);
        follower = new Partition(TP, log.topicId(), log, 2, context, registration);
        follower.update(registration, 1);
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    @Test
    void shouldAppendTheWholeBatchesOfAnAnswerCutShortAndTakeTheRestNextTime() {
        ByteBuffer first = batch(0, "a", "b");
        ByteBuffer second = batch(2, "c");
        ByteBuffer answer = ByteBuffer.allocate(first.remaining() + second.remaining() - 5);
        answer.put(first.duplicate()).put(second.duplicate().limit(second.limit() - 5)).flip();

        follower.appendFromLeader(0, answer, 3, 0);

        assertThat(follower.log().logEndOffset()).isEqualTo(2);
        assertThat(follower.log().highWatermark()).isEqualTo(2);

        follower.appendFromLeader(0, second, 3, 0);

        assertThat(follower.log().logEndOffset()).isEqualTo(3);
        assertThat(follower.log().highWatermark()).isEqualTo(3);
    }

    @Test
    void shouldTakeTheHighWatermarkOfAnAnswerHoldingOnlyPartOfABatch() {
        ByteBuffer first = batch(0, "a", "b");
        follower.appendFromLeader(0, first.duplicate(), 0, 0);
        ByteBuffer second = batch(2, "c");

        follower.appendFromLeader(0, second.duplicate().limit(20), 2, 0);

        assertThat(follower.log().logEndOffset()).isEqualTo(2);
        assertThat(follower.log().highWatermark()).isEqualTo(2);
    }

    @Test
    void shouldDropAnAnswerToAFetchMadeAtAnotherEpoch() {
        follower.update(new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), 1, 1, 1), 1);

        assertThat(follower.appendFromLeader(0, batch(0, "a", "b"), 2, 0)).isFalse();
        assertThat(follower.truncateOnDivergence(0, 0, 0)).isZero();

        assertThat(follower.log().logEndOffset()).isZero();
        assertThat(follower.appendFromLeader(1, batch(0, "a", "b"), 2, 0)).isTrue();
        assertThat(follower.log().logEndOffset()).isEqualTo(2);
    }

    /**
     * Seed 887 of the replication simulation: the fetcher checked that it still follows, the metadata
     * thread then made this replica leader (its epoch starting at its log end), and the old leader's
     * answer must not land under the new epoch.
     */
    @Test
    void shouldDropAnAnswerThatReachesAReplicaElectedLeaderMeanwhile() {
        follower.update(new PartitionRegistration(List.of(1, 2), List.of(2, 1), List.of(), 2, 1, 1), 1);

        assertThat(follower.appendFromLeader(0, batch(0, "a", "b"), 2, 0)).isFalse();

        assertThat(follower.log().logEndOffset()).isZero();
        assertThat(follower.log().latestEpoch()).isEqualTo(1);
    }

    /**
     * A follower applies transactional batches and markers with the replication rules, so the replica
     * elected leader has the open and aborted transactions, the last stable offset and the coordinator
     * epoch its predecessor had (doc section 6.8).
     */
    @Test
    void shouldKeepTransactionStateSoThatAnElectedFollowerHasTheLastStableOffsetAndFencesStaleMarkers() {
        ByteBuffer open = transactional(0, "t1", "t2");
        ByteBuffer plain = batch(2, "p");
        ByteBuffer both = ByteBuffer.allocate(open.remaining() + plain.remaining()).put(open).put(plain).flip();
        follower.appendFromLeader(0, both, 3, 0);

        assertThat(follower.log().highWatermark()).isEqualTo(3);
        assertThat(follower.log().lastStableOffset()).isZero();

        follower.appendFromLeader(0, abortMarker(3, 5), 4, 0);

        assertThat(follower.log().lastStableOffset()).isEqualTo(4);
        assertThat(follower.log().abortedTransactions(0, 4)).extracting(AbortedTxn::producerId, AbortedTxn::firstOffset)
                .containsExactly(tuple(PRODUCER_ID, 0L));

        follower.update(new PartitionRegistration(List.of(1, 2), List.of(2, 1), List.of(), 2, 1, 1), 1);

        assertThat(follower.leader()).isTrue();
        assertThat(follower.log().lastStableOffset()).isEqualTo(4);
        assertThat(follower.log().activeProducers()).singleElement().satisfies(producer -> {
            assertThat(producer.coordinatorEpoch()).isEqualTo(5);
            assertThat(producer.currentTxnStartOffset()).isEqualTo(-1);
        });
        ByteBuffer staleMarker = MemoryRecords.withEndTransactionMarker(PRODUCER_ID, EPOCH, new EndTransactionMarker(ControlRecordType.COMMIT, 4))
                .buffer();
        assertThatThrownBy(() -> follower.appendAsLeader(staleMarker, true, AppendOrigin.COORDINATOR, VerificationGuard.NONE,
                TxnMarker.UNKNOWN_TRANSACTION_VERSION)).isInstanceOf(TransactionCoordinatorFencedException.class);
    }

    @Test
    void shouldTellThatAnElectedFollowersHighWatermarkIsBehindItsEpochStartUntilTheOtherReplicaCatchesUp() {
        follower.appendFromLeader(0, batch(0, "a", "b"), 1, 0);

        follower.update(new PartitionRegistration(List.of(1, 2), List.of(2, 1), List.of(), 2, 1, 1), 1);

        assertThat(follower.highWatermarkBehindEpochStart()).isTrue();
        follower.readForFollower(1, 1, 2, 0, 1 << 20, true);
        assertThat(follower.log().highWatermark()).isEqualTo(2);
        assertThat(follower.highWatermarkBehindEpochStart()).isFalse();
    }

    private static ByteBuffer transactional(long baseOffset, String... values) {
        return MemoryRecords.withTransactionalRecords(baseOffset, Compression.NONE, PRODUCER_ID, EPOCH, 0, 0, records(values)).buffer();
    }

    private static ByteBuffer abortMarker(long offset, int coordinatorEpoch) {
        return MemoryRecords.withEndTransactionMarker(offset, 1_700_000_000_000L, 0, PRODUCER_ID, EPOCH,
                new EndTransactionMarker(ControlRecordType.ABORT, coordinatorEpoch)).buffer();
    }

    private static ByteBuffer batch(long baseOffset, String... values) {
        return MemoryRecords.withRecords(baseOffset, Compression.NONE, 0, records(values)).buffer();
    }

    private static SimpleRecord[] records(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1_700_000_000_000L, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }
}
