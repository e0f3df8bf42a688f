package io.runnel.broker.partition;

import io.runnel.storage.log.FetchSlice;
import org.apache.kafka.common.protocol.Errors;

/**
 * What a leader answers a follower's fetch of one partition with.
 *
 * @param error NONE, or why nothing was read
 * @param records the batches from the fetch offset on, bounded by the log end (empty on error or divergence)
 * @param highWatermark the leader's high watermark after the fetch counted
 * @param logStartOffset the leader's log start offset
 * @param divergingEpoch the epoch at which the follower's log diverges from the leader's, or -1
 * @param divergingEndOffset where that epoch ends in the leader's log (the follower truncates to it), or -1
 */
public record ReplicaRead(Errors error, FetchSlice records, long highWatermark, long logStartOffset, int divergingEpoch,
                          long divergingEndOffset) {

    static ReplicaRead failed(Errors error) {
        return new ReplicaRead(error, FetchSlice.empty(), -1, -1, -1, -1);
    }

    /** Whether the follower must truncate before it fetches again. */
    public boolean diverged() {
        return divergingEpoch >= 0 || divergingEndOffset >= 0;
    }
}
