package io.runnel.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader's ISR change whose answer does not say whether the controller made it: the ISR the controller
 * may have committed must stay covered by the high watermark.
 */
class PartitionIsrChangeTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long LAG_MS = 1_000;

    @TempDir
    Path dir;
    private LogManager logs;
    private RecordingReplicationContext context;
    private Partition leader;

    @BeforeEach
    void setUp() throws Exception {
        logs = LogManager.open(List.of(dir), Clock.systemUTC());
        context = new RecordingReplicationContext(LAG_MS);
        PartitionRegistration registration = new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2), List.of(), 1, 0, 1);
        PartitionLog log = logs.getOrCreateLog(TP, Uuid.randomUuid(), LogConfig.defaults(), true);
        leader = new Partition(TP, log.topicId(), log, 1, context, registration);
        leader.update(registration, 2);
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    @Test
    void shouldKeepWaitingForAReplicaWhoseAdditionTimedOut() {
        IsrProposal expansion = expandWithReplica3();

        // the controller may have committed it; the answer did not come in time
        leader.onIsrChangeRefused(expansion, Errors.REQUEST_TIMED_OUT);
        leader.appendAsLeader(batch("b"), true);

        assertThat(leader.log().highWatermark()).as("past replica 3, which the controller may have in the ISR").isZero();
        assertThat(leader.replicationError(1, 0)).isEmpty();
    }

    @Test
    void shouldProposeAnUnansweredChangeAgainAtTheNextIsrCheck() {
        IsrProposal expansion = expandWithReplica3();
        leader.onIsrChangeRefused(expansion, Errors.REQUEST_TIMED_OUT);

        leader.maybeShrinkIsr();

        assertThat(context.takeProposals()).extracting(RecordingReplicationContext.Sent::proposal).containsExactly(expansion);
    }

    @Test
    void shouldForgetAnAdditionTheControllerRefused() {
        IsrProposal expansion = expandWithReplica3();

        leader.onIsrChangeRefused(expansion, Errors.INELIGIBLE_REPLICA);
        leader.appendAsLeader(batch("b"), true);

        assertThat(leader.log().highWatermark()).isEqualTo(1);
        assertThat(leader.replicationError(1, 0)).contains(Errors.NONE);
    }

    @Test
    void shouldCountTheAdditionUntilARegistrationTellsWhetherItWasMade() {
        IsrProposal expansion = expandWithReplica3();
        leader.onIsrChangeRefused(expansion, Errors.INVALID_UPDATE_VERSION);
        leader.appendAsLeader(batch("b"), true);
        assertThat(leader.replicationError(1, 0)).isEmpty();

        // the controller's newer registration: another change was made, this one was not
        leader.update(new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2), List.of(), 1, 0, 2), 2);

        assertThat(leader.replicationError(1, 0)).contains(Errors.NONE);
    }

    /**
     * Replica 3 catches up (at offset 0) and the leader proposes to add it; "a" is written at 0, replica 2
     * fetches past it, and replica 3 fetches no more for longer than the lag allowance. Returns the proposal.
     */
    private IsrProposal expandWithReplica3() {
        context.advance(2 * LAG_MS);
        leader.readForFollower(3, 3, 0, -1, 1 << 20, true);
        List<RecordingReplicationContext.Sent> sent = context.takeProposals();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).proposal().brokerIds()).containsExactly(1, 2, 3);
        leader.appendAsLeader(batch("a"), true);
        leader.readForFollower(2, 2, 1, 0, 1 << 20, true);
        context.advance(LAG_MS + 500);
        assertThat(leader.log().highWatermark()).as("replica 3 is being added").isZero();
        return sent.get(0).proposal();
    }

    private static ByteBuffer batch(String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(1_700_000_000_000L, null, value.getBytes(StandardCharsets.UTF_8))).buffer();
    }
}
