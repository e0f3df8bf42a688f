package io.runnel.group.runtime;

import io.runnel.coordinator.runtime.Scheduler;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A scheduler for tests: time stands still until {@link #advance} moves it, and due tasks then run
 * on the calling thread in deadline order (tasks scheduled while advancing run too if they fall due).
 */
public final class ManualScheduler implements Scheduler {

    private record Task(String key, long deadlineMs, long sequence, Runnable body) { }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.deadlineMs != b.deadlineMs
            ? Long.compare(a.deadlineMs, b.deadlineMs) : Long.compare(a.sequence, b.sequence));
    private final Map<String, Task> pending = new HashMap<>();
    private long nowMs;
    private long sequence;

    public ManualScheduler(long startMs) {
        this.nowMs = startMs;
    }

    @Override
    public long nowMs() {
        return nowMs;
    }

    @Override
    public void schedule(String key, long delayMs, Runnable task) {
        cancel(key);
        Task scheduled = new Task(key, nowMs + delayMs, sequence++, task);
        pending.put(key, scheduled);
        queue.add(scheduled);
    }

    @Override
    public void cancel(String key) {
        Task removed = pending.remove(key);
        if (removed != null) {
            queue.remove(removed);
        }
    }

    /** Whether a task is pending under {@code key}. */
    @Override
    public boolean isScheduled(String key) {
        return pending.containsKey(key);
    }

    /** The keys of every pending task. */
    public Set<String> pendingKeys() {
        return Set.copyOf(pending.keySet());
    }

    /** Moves time forward by {@code ms}, running every task that falls due, in order. */
    public void advance(long ms) {
        long target = nowMs + ms;
        while (!queue.isEmpty() && queue.peek().deadlineMs <= target) {
            Task next = queue.poll();
            pending.remove(next.key);
            nowMs = Math.max(nowMs, next.deadlineMs);
            next.body.run();
        }
        nowMs = target;
    }
}
