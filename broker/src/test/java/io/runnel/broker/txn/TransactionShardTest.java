package io.runnel.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.coordinator.runtime.CoordinatorEventLoop;
import io.runnel.transaction.TransactionConfig;
import io.runnel.transaction.TransactionCoordinator;
import io.runnel.transaction.TransactionState;
import io.runnel.transaction.TransactionVersion;
import io.runnel.transaction.TxnMarkers;
import io.runnel.transaction.record.TransactionLogKey;
import io.runnel.transaction.record.TransactionLogSerde;
import io.runnel.transaction.record.TransactionLogValue;
import io.runnel.transaction.record.TransactionRecord;
import io.runnel.metadata.MetadataImage;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransactionShardTest {

    private static final String ID = "loaded";

    private final CoordinatorEventLoop clock = new CoordinatorEventLoop(Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC), "shard-test");
    private final TransactionCoordinator coordinator = new TransactionCoordinator(TransactionConfig.defaults(), () -> 7L, TransactionVersion.TV_0);
    private final List<List<TxnMarkers>> resumed = new ArrayList<>();
    private final TxnMarkerSender sender = new TxnMarkerSender(1, "PLAINTEXT", InterBrokerSecurity.PLAINTEXT, () -> MetadataImage.EMPTY,
            (partition, producerId, producerEpoch, coordinatorEpoch, commit, version) -> CompletableFuture.completedFuture(Errors.NONE),
            (transaction, partition) -> { }, coordinator::partitionFor);
    private final TransactionShard shard = new TransactionShard(coordinator, clock, resumed::add, sender);

    @AfterEach
    void stop() {
        sender.close();
        clock.close();
    }

    @Test
    void shouldServeTheIdsOfAPartitionOnceItsLogIsReplayed() {
        int partition = loadingWith(TransactionState.EMPTY);
        assertThat(coordinator.metadata(ID)).isNull();

        assertThat(shard.completeLoading(partition)).isTrue();
        assertThat(coordinator.metadata(ID).producerId()).isEqualTo(42L);
        assertThat(resumed).containsExactly(List.of());
    }

    @Test
    void shouldHandPreparedTransactionsFoundOnLoadToTheMarkerHook() {
        int partition = loadingWith(TransactionState.PREPARE_COMMIT);
        assertThat(shard.completeLoading(partition)).isTrue();
        assertThat(resumed).hasSize(1);
        assertThat(resumed.get(0)).hasSize(1);
    }

    @Test
    void shouldNotCompleteAPartitionUnloadedWhileItLoaded() {
        int partition = coordinator.partitionFor(ID);
        shard.beginLoading(partition, 50, 3);
        shard.unloadPartition(partition);
        assertThat(shard.completeLoading(partition)).isFalse();
        assertThat(coordinator.metadata(ID)).isNull();
    }

    /** The partition of {@link #ID}, loading, with one record of the id in {@code state} replayed. */
    private int loadingWith(TransactionState state) {
        int partition = coordinator.partitionFor(ID);
        shard.beginLoading(partition, 50, 3);
        replay(partition, state);
        return partition;
    }

    private void replay(int partition, TransactionState state) {
        List<org.apache.kafka.common.TopicPartition> partitions = state == TransactionState.EMPTY
                ? null : List.of(new org.apache.kafka.common.TopicPartition("t", 0));
        TransactionRecord record = new TransactionRecord(new TransactionLogKey(ID), new TransactionLogValue(42L, -1, -1, (short) 0, (short) -1,
                60_000, state.id(), partitions, 1_000, state == TransactionState.EMPTY ? -1 : 1_000, (short) 0), (short) 0);
        shard.replay(partition, 0, -1, (short) -1, ByteBuffer.wrap(TransactionLogSerde.serializeKey(record.key())),
                ByteBuffer.wrap(TransactionLogSerde.serializeValue(record)));
    }
}
