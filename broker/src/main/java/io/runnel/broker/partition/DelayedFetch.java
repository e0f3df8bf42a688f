package io.runnel.broker.partition;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fetch waiting in the {@link FetchPurgatory}. Completes exactly once, whichever thread gets there
 * first: an append that brings enough bytes, or the timer when the wait is over.
 */
public abstract class DelayedFetch {

    private final AtomicBoolean completed = new AtomicBoolean();

    /** Completes the fetch if it now has enough data; returns whether it is complete. */
    public final boolean tryComplete() {
        if (completed.get()) {
            return true;
        }
        return hasEnoughData() && forceComplete();
    }

    /** Completes the fetch with whatever data there is; returns false if it was already complete. */
    public final boolean forceComplete() {
        if (completed.compareAndSet(false, true)) {
            complete();
            return true;
        }
        return false;
    }

    /** Whether the data now available satisfies the fetch's minimum bytes. */
    protected abstract boolean hasEnoughData();

    /** Reads the data and sends the response; called once. */
    protected abstract void complete();
}
