package io.runnel.storage.log;

import java.util.concurrent.ConcurrentSkipListMap;

import io.runnel.storage.epoch.LeaderEpochCache;
import io.runnel.storage.producer.ProducerStateManager;
import io.runnel.storage.segment.LogSegment;

/** Everything {@link LogLoader} reconstructed from a partition directory, consistent with each other. */
record LoadedLog(ConcurrentSkipListMap<Long, LogSegment> segments, long logEndOffset, long logStartOffset,
        long recoveryPoint, ProducerStateManager producerState, LeaderEpochCache epochCache) {
}
