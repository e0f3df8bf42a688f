package io.runnel.broker.coordinator;

import io.runnel.coordinator.runtime.CoordinatorShard;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A shard for tests that keeps what the runtime told it, one line per call, and refuses to replay
 * a record whose key is {@link #UNREADABLE}.
 */
class RecordingShard implements CoordinatorShard {

    static final String UNREADABLE = "unreadable";

    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void beginLoading(int partition, int partitionCount, int coordinatorEpoch) {
        calls.add("begin " + partition + " of " + partitionCount + " at epoch " + coordinatorEpoch);
    }

    @Override
    public void replay(int partition, long offset, long producerId, short producerEpoch, ByteBuffer key, ByteBuffer value) {
        String text = StandardCharsets.UTF_8.decode(key.duplicate()).toString();
        if (text.equals(UNREADABLE)) {
            throw new IllegalArgumentException("cannot read " + text);
        }
        calls.add("replay " + partition + " @" + offset + " " + text + " pid " + producerId + " epoch " + producerEpoch);
    }

    @Override
    public void replayMarker(int partition, long producerId, short producerEpoch, boolean commit) {
        calls.add((commit ? "commit " : "abort ") + partition + " pid " + producerId + " epoch " + producerEpoch);
    }

    @Override
    public boolean completeLoading(int partition) {
        calls.add("complete " + partition);
        return true;
    }

    @Override
    public void unloadPartition(int partition) {
        calls.add("unload " + partition);
    }

    /** Every call so far, in order. */
    List<String> calls() {
        return List.copyOf(calls);
    }
}
