package io.runnel.broker.txn;

import io.runnel.coordinator.runtime.CoordinatorShard;
import io.runnel.coordinator.runtime.Scheduler;
import io.runnel.transaction.TransactionCoordinator;
import io.runnel.transaction.TxnMarkers;
import io.runnel.transaction.record.TransactionLogSerde;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The transaction coordinator as the shared runtime loads and unloads it. Called only on the
 * coordinator thread.
 */
final class TransactionShard implements CoordinatorShard {

    private final TransactionCoordinator coordinator;
    private final Scheduler clock;
    private final Consumer<List<TxnMarkers>> markers;
    private final TxnMarkerSender sender;
    private final Set<Integer> loading = new HashSet<>();

    TransactionShard(TransactionCoordinator coordinator, Scheduler clock, Consumer<List<TxnMarkers>> markers, TxnMarkerSender sender) {
        this.coordinator = coordinator;
        this.clock = clock;
        this.markers = markers;
        this.sender = sender;
    }

    @Override
    public void beginLoading(int partition, int partitionCount, int coordinatorEpoch) {
        loading.add(partition);
        sender.coordinates(partition, coordinatorEpoch);
        coordinator.beginLoading(partition, coordinatorEpoch);
    }

    @Override
    public void replay(int partition, long offset, long producerId, short producerEpoch, ByteBuffer key, ByteBuffer value) {
        coordinator.replay(partition, TransactionLogSerde.deserialize(key, value));
    }

    @Override
    public void replayMarker(int partition, long producerId, short producerEpoch, boolean commit) {
        // __transaction_state is never written transactionally
    }

    @Override
    public boolean completeLoading(int partition) {
        if (!loading.remove(partition)) {
            return false;
        }
        markers.accept(coordinator.completeLoading(partition, clock.nowMs()));
        return true;
    }

    @Override
    public void unloadPartition(int partition) {
        loading.remove(partition);
        sender.resigns(partition);
        coordinator.unloadPartition(partition);
    }
}
