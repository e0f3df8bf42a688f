package io.runnel.broker.partition;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The replication simulation's manual clock and its one queue of timed actions. Actions due at the same
 * time run in the order they were scheduled, so a run depends on nothing but the seed. Not thread-safe:
 * the simulation's one thread drives it.
 */
final class SimScheduler {

    /** Wall-clock time the simulation starts at (record timestamps and segment times are near it). */
    static final long EPOCH_MS = 1_780_000_000_000L;

    private record Event(long atMs, long seq, Runnable action) { }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(Comparator.comparingLong(Event::atMs).thenComparingLong(Event::seq));
    private long nowMs;
    private long seq;

    /** Milliseconds since the simulation started. */
    long nowMs() {
        return nowMs;
    }

    /** Runs {@code action} at {@code atMs} (now, if that has passed). */
    void at(long atMs, Runnable action) {
        queue.add(new Event(Math.max(atMs, nowMs), seq++, action));
    }

    void after(long delayMs, Runnable action) {
        at(nowMs + Math.max(0, delayMs), action);
    }

    /** Runs every action due by {@code untilMs}, moving the clock to each; the clock ends at {@code untilMs}. */
    int runUntil(long untilMs) {
        int ran = 0;
        while (!queue.isEmpty() && queue.peek().atMs() <= untilMs) {
            Event event = queue.poll();
            nowMs = event.atMs();
            event.action().run();
            ran++;
        }
        nowMs = Math.max(nowMs, untilMs);
        return ran;
    }

    /** The clock as a {@link Clock} for the logs: {@link #EPOCH_MS} plus simulated time. */
    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public long millis() {
                return EPOCH_MS + nowMs;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }
        };
    }
}
