package io.runnel.cli.perf;

/**
 * Spaces operations evenly at a target rate: operation {@code n} is due {@code n / rate} seconds after
 * the start. An operation that is late is not delayed (the schedule catches up); one that is early
 * waits until it is due. A rate of zero or less means no limit.
 *
 * <p>Pure arithmetic on times the caller passes in, so it is tested without a clock. Not thread-safe.
 */
public final class Pacer {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double perSecond;
    private final long startNanos;

    /** A pacer whose operation 0 is due at {@code startNanos}. */
    public Pacer(double perSecond, long startNanos) {
        this.perSecond = perSecond;
        this.startNanos = startNanos;
    }

    /** Whether this pacer limits the rate at all. */
    public boolean limited() {
        return perSecond > 0;
    }

    /** When (in the caller's nanosecond clock) operation {@code index} is due. */
    public long dueNanos(long index) {
        if (!limited()) {
            return startNanos;
        }
        return startNanos + (long) (index * (NANOS_PER_SECOND / perSecond));
    }

    /** How long to wait before operation {@code index}, given the time now; 0 if it is due. */
    public long waitNanos(long index, long nowNanos) {
        return Math.max(0, dueNanos(index) - nowNanos);
    }
}
