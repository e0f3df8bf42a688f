package io.runnel.broker.network;

import java.util.concurrent.TimeUnit;

/**
 * Counts requests being handled across all connections, so a clean shutdown can stop taking new
 * work and wait for the requests already taken to be answered. Thread-safe.
 */
final class InFlightRequests {

    private int count;
    private volatile boolean draining;

    /** From now on no connection starts a new request; those already started still finish. */
    void startDraining() {
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    synchronized void started() {
        count++;
    }

    synchronized void finished() {
        count--;
        if (count == 0) {
            notifyAll();
        }
    }

    /** Waits until no request is in flight, or the timeout passes; returns whether it drained. */
    synchronized boolean awaitDrained(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
