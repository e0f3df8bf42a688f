package io.runnel.testkit.workload;

import java.util.List;
import java.util.Set;

/**
 * One thing that happened during a fault test, as a {@link History} recorded it: a send attempt and its
 * outcome, a poll, a change of a consumer's assignment, a fault injected or healed. Every event has the
 * history's {@link #index() index} (a total order of recording) and the {@link System#nanoTime() nanoTime}
 * at which it was recorded. Immutable.
 */
public sealed interface Event {

    /** The position of this event in its history: unique, increasing in the order events were recorded. */
    long index();

    /** {@link System#nanoTime()} when the event was recorded. */
    long nanos();

    /**
     * A producer is about to send {@code value} to {@code partition}.
     *
     * @param producer  which producer (the history's "process")
     * @param partition the partition the record is sent to
     * @param key       the record's key
     * @param value     the record's value, unique in the history
     */
    record SendInvoked(long index, long nanos, String producer, int partition, String key, String value) implements Event {
    }

    /** The broker acknowledged {@code value}: it is at {@code offset} of {@code partition}. */
    record SendAcknowledged(long index, long nanos, String producer, String value, int partition, long offset) implements Event {
    }

    /**
     * The send of {@code value} failed. {@code definite} when the record certainly was not written (the
     * client refused it before it left); otherwise the outcome is unknown ("info" in Jepsen's words): it may
     * have been written, or may be later.
     */
    record SendFailed(long index, long nanos, String producer, String value, int partition, String error, boolean definite) implements Event {
    }

    /** One poll of a consumer that returned records, in the order the consumer returned them. */
    record Polled(long index, long nanos, String consumer, List<Read> records) implements Event {

        public Polled {
            records = List.copyOf(records);
        }
    }

    /** A consumer was given {@code partitions} (a rebalance listener's onPartitionsAssigned). */
    record Assigned(long index, long nanos, String consumer, Set<Integer> partitions) implements Event {

        public Assigned {
            partitions = Set.copyOf(partitions);
        }
    }

    /** A consumer gave up {@code partitions}; {@code lost} when taken away without a clean revocation. */
    record Revoked(long index, long nanos, String consumer, Set<Integer> partitions, boolean lost) implements Event {

        public Revoked {
            partitions = Set.copyOf(partitions);
        }
    }

    /**
     * The test changed the cluster: a fault ({@code fault} true: a kill, a pause, a cut link, a
     * stop) or a repair (a restart, a resume, a heal).
     *
     * @param action     what was done, e.g. "kill", "pause", "isolate", "restart"
     * @param node       the node it was done to, or -1
     * @param partitions the partitions of the workload's topic the node led just before, whose
     *                   failover time is measured from this event when it is a fault
     */
    record Nemesis(long index, long nanos, String action, int node, Set<Integer> partitions, boolean fault) implements Event {

        public Nemesis {
            partitions = Set.copyOf(partitions);
        }
    }
}
