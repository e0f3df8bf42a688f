package io.runnel.broker.partition;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Where requests wait for a partition to move on: fetches for data (long poll), acks=all produces for
 * the high watermark. A waiting operation is woken by every {@link #wake} of one of its partitions
 * and retries; it completes when it can or when its wait time is up, whichever comes first, and is
 * then forgotten everywhere (partitions and timer). Thread-safe: request and replication threads wake
 * waiters, timeouts fire on the purgatory's timer thread.
 */
public final class Purgatory {

    private final Map<TopicPartition, Set<DelayedOperation>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    /** A purgatory whose timeouts fire on {@code timer} (which should remove cancelled tasks). */
    public Purgatory(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Parks an operation until a wake of one of its partitions completes it or {@code maxWaitMs} passes. */
    public void watch(DelayedOperation operation, Collection<TopicPartition> partitions, long maxWaitMs) {
        for (TopicPartition partition : partitions) {
            // Added inside compute, so a concurrent removal of an emptied set cannot orphan this operation.
            waiters.compute(partition, (p, waiting) -> {
                Set<DelayedOperation> set = waiting != null ? waiting : ConcurrentHashMap.newKeySet();
                set.add(operation);
                return set;
            });
        }
        operation.expireWith(timer.schedule(() -> {
            operation.forceComplete();
            forget(operation, partitions);
        }, maxWaitMs, TimeUnit.MILLISECONDS));
        // Data may have arrived between the caller's first attempt and the registration above.
        if (operation.tryComplete()) {
            forget(operation, partitions);
        }
    }

    /** Tells the operations waiting on {@code partition} that it moved on (an append, a high watermark move, a leader change). */
    public void wake(TopicPartition partition) {
        Set<DelayedOperation> waiting = waiters.get(partition);
        if (waiting == null) {
            return;
        }
        for (DelayedOperation operation : waiting) {
            if (operation.tryComplete()) {
                waiting.remove(operation);
            }
        }
        waiters.computeIfPresent(partition, (p, set) -> set.isEmpty() ? null : set);
    }

    /** How many partitions have fetches waiting on them (for tests and metrics). */
    public int watchedPartitions() {
        return waiters.size();
    }

    private void forget(DelayedOperation operation, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            waiters.computeIfPresent(partition, (p, waiting) -> {
                waiting.remove(operation);
                return waiting.isEmpty() ? null : waiting;
            });
        }
    }
}
