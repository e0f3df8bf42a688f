package io.runnel.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.storage.log.FetchSlice;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A partition's replication by Kafka's rules, leader and follower side, over real logs and a manual clock. */
class PartitionReplicationTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Uuid TOPIC_ID = Uuid.randomUuid();
    private static final long LAG_MS = 10_000;

    @TempDir
    Path dir;

    private final RecordingReplicationContext context = new RecordingReplicationContext(LAG_MS);
    private LogManager logs;

    @AfterEach
    void close() throws IOException {
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void shouldHoldTheHighWatermarkUntilEveryIsrMemberHasTheRecords() throws Exception {
        Partition leader = leaderOf(List.of(1, 2, 3), List.of(1, 2, 3), 1);
        leader.appendAsLeader(batch("a", "b", "c"), true);

        assertThat(leader.log().highWatermark()).isZero();
        assertThat(leader.replicationError(3, 0)).isEmpty();
        fetch(leader, 2, 3);
        assertThat(leader.log().highWatermark()).isZero();
        fetch(leader, 3, 3);
        assertThat(leader.log().highWatermark()).isEqualTo(3);
        assertThat(leader.replicationError(3, 0)).contains(Errors.NONE);
        assertThat(context.highWatermarkMoves()).contains(TP);
    }

    @Test
    void shouldRefuseAcksAllWritesWhileTheIsrIsBelowMinInsyncReplicas() throws Exception {
        Partition leader = leaderOf(List.of(1, 2, 3), List.of(1), 2);

        assertThatThrownBy(() -> leader.appendAsLeader(batch("a"), true)).isInstanceOf(NotEnoughReplicasException.class);
        assertThat(leader.log().logEndOffset()).isZero();
        leader.appendAsLeader(batch("acks=1"), false);
        // KIP-966: with too small an ISR the high watermark stays, even with the leader alone in it
        assertThat(leader.log().highWatermark()).isZero();
    }

    @Test
    void shouldProposeToDropAFollowerThatHasNotCaughtUpWithinTheLagTime() throws Exception {
        Partition leader = leaderOf(List.of(1, 2, 3), List.of(1, 2, 3), 1);
        leader.appendAsLeader(batch("a"), true);
        fetch(leader, 2, 1);
        context.advance(LAG_MS + 1);
        fetch(leader, 2, 1);

        leader.maybeShrinkIsr();

        List<RecordingReplicationContext.Sent> sent = context.takeProposals();
        assertThat(sent).singleElement().satisfies(s -> assertThat(s.proposal().brokerIds()).containsExactly(1, 2));
        // while the change is in flight the high watermark still waits for the follower leaving
        assertThat(leader.log().highWatermark()).isZero();
        leader.onIsrChangeCommitted(sent.get(0).proposal(), new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2), List.of(), 1, 0, 1));
        assertThat(leader.log().highWatermark()).isEqualTo(1);
    }

    @Test
    void shouldProposeToAddAFollowerOnceItReachesTheHighWatermark() throws Exception {
        Partition leader = leaderOf(List.of(1, 2, 3), List.of(1, 2), 1);
        leader.appendAsLeader(batch("a", "b"), true);
        fetch(leader, 2, 2);
        assertThat(leader.log().highWatermark()).isEqualTo(2);

        fetch(leader, 3, 1);
        assertThat(context.takeProposals()).isEmpty();
        fetch(leader, 3, 2);

        List<RecordingReplicationContext.Sent> sent = context.takeProposals();
        assertThat(sent).singleElement().satisfies(s -> assertThat(s.proposal().brokerIds()).containsExactly(1, 2, 3));
        // INELIGIBLE_REPLICA says the change was not made (other errors leave it in flight: PartitionIsrChangeTest)
        leader.onIsrChangeRefused(sent.get(0).proposal(), Errors.INELIGIBLE_REPLICA);
        fetch(leader, 3, 2);
        assertThat(context.takeProposals()).as("proposed again after a refusal").hasSize(1);
    }

    @Test
    void shouldRefuseFetchesFromBrokersThatAreNotReplicas() throws Exception {
        Partition leader = leaderOf(List.of(1, 2), List.of(1, 2), 1);

        assertThat(leader.readForFollower(7, 1, 0, -1, 1000, true).error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void shouldTellAFollowerWhereItsLogDivergedAndLetItTruncateThere() throws Exception {
        // broker 2 led at epoch 0 and wrote a, b, then c which nobody else got
        Partition oldLeader = partition(2, new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), 2, 0, 0));
        oldLeader.appendAsLeader(batch("a", "b"), false);
        oldLeader.appendAsLeader(batch("c"), false);
        // broker 1 has a, b and leads at epoch 1, writing d
        Partition newLeader = partition(1, new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), 2, 0, 0));
        newLeader.appendFromLeader(0, readAll(oldLeader, 2), 0, 0);
        newLeader.update(new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), 1, 1, 1), 1);
        newLeader.appendAsLeader(batch("d"), false);
        oldLeader.update(new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), 1, 1, 1), 1);

        ReplicaRead answer = newLeader.readForFollower(2, 1, oldLeader.log().logEndOffset(), oldLeader.log().latestEpoch(), 1000, true);

        assertThat(answer.diverged()).isTrue();
        assertThat(answer.divergingEpoch()).isZero();
        assertThat(answer.divergingEndOffset()).isEqualTo(2);
        assertThat(oldLeader.truncateOnDivergence(1, answer.divergingEpoch(), answer.divergingEndOffset())).isEqualTo(2);
        ReplicaRead next = newLeader.readForFollower(2, 1, 2, oldLeader.log().latestEpoch(), 1000, true);
        assertThat(next.diverged()).isFalse();
        oldLeader.appendFromLeader(1, copy(next.records()), next.highWatermark(), next.logStartOffset());
        assertThat(oldLeader.log().logEndOffset()).isEqualTo(3);
    }

    private Partition leaderOf(List<Integer> replicas, List<Integer> isr, int minIsr) throws IOException {
        Partition partition = partition(1, new PartitionRegistration(replicas, isr, List.of(), 1, 0, 0));
        partition.update(new PartitionRegistration(replicas, isr, List.of(), 1, 0, 0), minIsr);
        return partition;
    }

    private Partition partition(int localId, PartitionRegistration registration) throws IOException {
        if (logs == null) {
            logs = LogManager.open(List.of(dir), Clock.systemUTC());
        }
        TopicPartition topicPartition = new TopicPartition("t" + localId, 0);
        Partition partition = new Partition(localId == 1 ? TP : topicPartition, TOPIC_ID,
                logs.getOrCreateLog(localId == 1 ? TP : topicPartition, TOPIC_ID, LogConfig.defaults(), true), localId, context, registration);
        partition.update(registration, 1);
        return partition;
    }

    private static void fetch(Partition leader, int follower, long offset) {
        assertThat(leader.readForFollower(follower, 1, offset, -1, 1000, true).error()).isEqualTo(Errors.NONE);
    }

    private static ByteBuffer readAll(Partition partition, long upTo) throws IOException {
        ByteBuffer all = copy(partition.log().read(0, Integer.MAX_VALUE, true, io.runnel.storage.log.FetchIsolation.LOG_END));
        return Optional.of(all).map(buffer -> {
            MemoryRecords records = MemoryRecords.readableRecords(buffer);
            ByteBuffer kept = ByteBuffer.allocate(buffer.remaining());
            records.batches().forEach(batch -> {
                if (batch.lastOffset() < upTo) {
                    batch.writeTo(kept);
                }
            });
            return kept.flip();
        }).orElseThrow();
    }

    private static ByteBuffer copy(FetchSlice slice) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(slice.size());
        while (buffer.hasRemaining()) {
            if (slice.channel().read(buffer, slice.position() + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.flip();
    }

    private static ByteBuffer batch(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1_700_000_000_000L, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }
}
