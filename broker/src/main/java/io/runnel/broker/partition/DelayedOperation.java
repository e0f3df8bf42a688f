package io.runnel.broker.partition;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request waiting in a {@link Purgatory}. Completes exactly once, whichever thread gets there
 * first: a wake that finds it can complete, or the timer when the wait is over. Completing cancels
 * the timer, so a finished operation does not linger in the timer's queue for the rest of its wait.
 */
public abstract class DelayedOperation {

    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile Future<?> timeout;

    /** Completes the operation if it now can; returns whether it is complete. */
    public final boolean tryComplete() {
        if (completed.get()) {
            return true;
        }
        boolean enough;
        try {
            enough = canComplete();
        } catch (RuntimeException e) {
            // Reading failed (a log closed under it, say): answer now rather than leave the client hanging.
            enough = true;
        }
        return enough && forceComplete();
    }

    /** Completes the operation with what there is; returns false if it was already complete. */
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

    /** Whether the operation can be answered now (a fetch has enough bytes, a produce is replicated). */
    protected abstract boolean canComplete();

    /** Builds and sends the response; called once. Must not throw: failures complete the response exceptionally. */
    protected abstract void complete();
}
