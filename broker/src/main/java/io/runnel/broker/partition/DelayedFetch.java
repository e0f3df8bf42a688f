package io.runnel.broker.partition;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fetch waiting in the {@link FetchPurgatory}. Completes exactly once, whichever thread gets there
 * first: an append that brings enough bytes, or the timer when the wait is over. Completing cancels
 * the timer, so a finished fetch does not linger in the timer's queue for the rest of its wait.
 */
public abstract class DelayedFetch {

    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile Future<?> timeout;

    /** Completes the fetch if it now has enough data; returns whether it is complete. */
    public final boolean tryComplete() {
        if (completed.get()) {
            return true;
        }
        boolean enough;
        try {
            enough = hasEnoughData();
        } catch (RuntimeException e) {
            // Reading failed (a log closed under it, say): answer now rather than leave the client hanging.
            enough = true;
        }
        return enough && forceComplete();
    }

    /** Completes the fetch with whatever data there is; returns false if it was already complete. */
    public final boolean forceComplete() {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        Future<?> pending = timeout;
        if (pending != null) {
            pending.cancel(false);
        }
        complete();
        return true;
    }

    void expireWith(Future<?> timer) {
        this.timeout = timer;
        if (completed.get()) {
            timer.cancel(false);
        }
    }

    /** Whether the data now available satisfies the fetch's minimum bytes. */
    protected abstract boolean hasEnoughData();

    /** Reads the data and sends the response; called once. Must not throw: failures complete the response exceptionally. */
    protected abstract void complete();
}
