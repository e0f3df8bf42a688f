package io.runnel.broker.partition;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Where fetches wait for data (long poll). A waiting fetch is woken by every append to one of its
 * partitions and retries; it completes when it has enough bytes or when its wait time is up,
 * whichever comes first, and is then forgotten everywhere (partitions and timer). Thread-safe:
 * appends wake waiters from request threads, timeouts fire on the purgatory's timer thread.
 */
public final class FetchPurgatory {

    private final Map<TopicPartition, Set<DelayedFetch>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    /** A purgatory whose timeouts fire on {@code timer} (which should remove cancelled tasks). */
    public FetchPurgatory(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Parks a fetch until data arrives on one of its partitions or {@code maxWaitMs} passes. */
    public void watch(DelayedFetch fetch, Collection<TopicPartition> partitions, long maxWaitMs) {
        for (TopicPartition partition : partitions) {
            // Added inside compute, so a concurrent removal of an emptied set cannot orphan this fetch.
            waiters.compute(partition, (p, waiting) -> {
                Set<DelayedFetch> set = waiting != null ? waiting : ConcurrentHashMap.newKeySet();
                set.add(fetch);
                return set;
            });
        }
        fetch.expireWith(timer.schedule(() -> {
            fetch.forceComplete();
            forget(fetch, partitions);
        }, maxWaitMs, TimeUnit.MILLISECONDS));
        // Data may have arrived between the caller's first attempt and the registration above.
        if (fetch.tryComplete()) {
            forget(fetch, partitions);
        }
    }

    /** Tells the fetches waiting on {@code partition} that it has new data. */
    public void onAppend(TopicPartition partition) {
        Set<DelayedFetch> waiting = waiters.get(partition);
        if (waiting == null) {
            return;
        }
        for (DelayedFetch fetch : waiting) {
            if (fetch.tryComplete()) {
                waiting.remove(fetch);
            }
        }
        waiters.computeIfPresent(partition, (p, set) -> set.isEmpty() ? null : set);
    }

    /** How many partitions have fetches waiting on them (for tests and metrics). */
    public int watchedPartitions() {
        return waiters.size();
    }

    private void forget(DelayedFetch fetch, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            waiters.computeIfPresent(partition, (p, waiting) -> {
                waiting.remove(fetch);
                return waiting.isEmpty() ? null : waiting;
            });
        }
    }
}
