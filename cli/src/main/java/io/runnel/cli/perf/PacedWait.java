package io.runnel.cli.perf;

import java.util.concurrent.locks.LockSupport;

/** Blocks the calling thread until a {@link Pacer} says an operation is due. */
final class PacedWait {

    private PacedWait() {
    }

    /** Returns once operation {@code index} is due (at once if the pacer sets no limit). */
    static void until(Pacer pacer, long index) {
        if (!pacer.limited()) {
            return;
        }
        long wait;
        while ((wait = pacer.waitNanos(index, System.nanoTime())) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
