package io.runnel.broker.partition;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-sync replica set as a partition's leader sees it: the one the controller committed, or one
 * with a change proposed to the controller and not yet answered. While a change is in flight the
 * leader counts the larger of the two sets (the <em>maximal</em> ISR) for its high watermark, as Kafka
 * does: a replica being added may already be elected by the controller, and one being removed may
 * still be; either way the records below the high watermark must be on it.
 */
sealed interface IsrState {

    /** The ISR the controller last committed. */
    List<Integer> isr();

    /** The set the high watermark waits for: the committed ISR, plus a replica being added. */
    List<Integer> maximalIsr();

    /** Whether a change is in flight (no other is proposed until it is answered). */
    default boolean inFlight() {
        return !(this instanceof Committed);
    }

    /** The ISR the controller committed, no change in flight. */
    record Committed(List<Integer> isr) implements IsrState {
        @Override
        public List<Integer> maximalIsr() {
            return isr;
        }
    }

    /** {@code adding} proposed to join the committed {@code isr}. */
    record PendingExpand(List<Integer> isr, int adding) implements IsrState {
        @Override
        public List<Integer> maximalIsr() {
            List<Integer> maximal = new ArrayList<>(isr);
            maximal.add(adding);
            return maximal;
        }

        /** The ISR proposed. */
        List<Integer> proposed() {
            return maximalIsr();
        }
    }

    /** {@code removing} proposed to leave the committed {@code isr}. */
    record PendingShrink(List<Integer> isr, List<Integer> removing) implements IsrState {
        @Override
        public List<Integer> maximalIsr() {
            return isr;
        }

        /** The ISR proposed. */
        List<Integer> proposed() {
            List<Integer> proposed = new ArrayList<>(isr);
            proposed.removeAll(removing);
            return proposed;
        }
    }
}
