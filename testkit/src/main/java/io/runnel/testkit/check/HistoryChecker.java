package io.runnel.testkit.check;

import io.runnel.testkit.workload.Event;
import io.runnel.testkit.workload.FinalRead;
import io.runnel.testkit.workload.History;
import io.runnel.testkit.workload.Read;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a {@link History} for the anomalies of Jepsen's Kafka workload ({@link Anomaly}).
 *
 * <p>What it assumes of the history: every value is sent once and is unique; a value's partition is the
 * one its {@link Event.SendInvoked} names; each consumer's events are recorded by its own thread, so their
 * order is the order in which that consumer saw them.
 *
 * <p>How it judges (after Jepsen's checker, in terms of offsets):
 * <ul>
 *   <li>Every observation of a value at an offset (an acknowledgement, a poll, the final read) must agree:
 *       one value per offset ({@link Anomaly#INCONSISTENT_OFFSETS}), one offset per value among reads
 *       ({@link Anomaly#DUPLICATE}), and reads where the acknowledgement said
 *       ({@link Anomaly#ACKNOWLEDGED_OFFSET_MISMATCH}).</li>
 *   <li>The final read is the log at the end: an acknowledged value missing there is
 *       {@link Anomaly#LOST_WRITE}; one there that no consumer polled is {@link Anomaly#UNSEEN} (checked only
 *       when the history has consumers).</li>
 *   <li>A partition's <em>version order</em> is every offset observed in it, sorted. Within one continuous
 *       assignment of a partition to a consumer (from its assignment to its revocation), each record read must
 *       be the next in that order after the one read before: reading one at or before is
 *       {@link Anomaly#NONMONOTONIC_POLL}, jumping over observed offsets is {@link Anomaly#POLL_SKIP}. Gaps in
 *       offsets that nobody observed are not skips (transaction markers and compaction leave such gaps).</li>
 *   <li>Each producer's acknowledged offsets in a partition rise in the order it sent
 *       ({@link Anomaly#NONMONOTONIC_SEND}); a read value was sent ({@link Anomaly#PHANTOM_READ}) and its send
 *       did not certainly fail ({@link Anomaly#ABORTED_READ}).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class HistoryChecker {

    /** How many examples of each anomaly a result keeps. */
    public static final int EXAMPLES = 5;

    private static final String FINAL_READ = "final read";

    private HistoryChecker() {
    }

    /** Checks everything recorded in {@code history}. */
    public static CheckResult check(History history) {
        return check(history.events(), history.finalRead());
    }

    /** Checks {@code events} (in index order) against {@code finalRead}; without a final read, lost writes are not judged. */
    public static CheckResult check(List<Event> events, Optional<FinalRead> finalRead) {
        return new Analysis(events, finalRead).run();
    }

    /** Where a value is: partition and offset. */
    private record Position(int partition, long offset) {
        @Override
        public String toString() {
            return partition + "/" + offset;
        }
    }

    /** One pass over a history; not thread-safe, used once. */
    private static final class Analysis {

        private final List<Event> events;
        private final Optional<FinalRead> finalRead;
        private final Map<Anomaly, Integer> counts = new EnumMap<>(Anomaly.class);
        private final Map<Anomaly, List<String>> examples = new EnumMap<>(Anomaly.class);

        private final Map<String, Event.SendInvoked> sends = new HashMap<>();
        private final Map<String, Event.SendAcknowledged> acks = new LinkedHashMap<>();
        private final Map<String, Event.SendFailed> failures = new HashMap<>();
        /** partition → offset → value → who observed it there. */
        private final Map<Integer, TreeMap<Long, Map<String, Set<String>>>> observed = new TreeMap<>();
        /** value → positions it was read at (polls and final read). */
        private final Map<String, Set<Position>> readAt = new HashMap<>();
        private final Set<String> polledValues = new HashSet<>();
        private final Set<String> finalValues = new HashSet<>();
        private boolean hasConsumers;
        private int polledRecords;

        Analysis(List<Event> events, Optional<FinalRead> finalRead) {
            this.events = events;
            this.finalRead = finalRead;
        }

        CheckResult run() {
            index();
            checkOffsets();
            checkValues();
            checkPolls();
            checkSends();
            int indeterminate = (int) sends.keySet().stream().filter(v -> !acks.containsKey(v) && !isDefiniteFailure(v)).count();
            int definite = (int) sends.keySet().stream().filter(v -> !acks.containsKey(v) && isDefiniteFailure(v)).count();
            Set<Integer> incomplete = finalRead.map(FinalRead::incompletePartitions)
                    .orElseGet(() -> sends.values().stream().map(Event.SendInvoked::partition).collect(Collectors.toCollection(TreeSet::new)));
            Map<Anomaly, List<String>> frozen = new EnumMap<>(Anomaly.class);
            examples.forEach((anomaly, list) -> frozen.put(anomaly, List.copyOf(list)));
            return new CheckResult(counts, frozen, sends.size(), acks.size(), definite, indeterminate, polledRecords,
                    finalRead.map(read -> read.records().size()).orElse(0), incomplete);
        }

        private boolean isDefiniteFailure(String value) {
            Event.SendFailed failure = failures.get(value);
            return failure != null && failure.definite();
        }

        /** Gathers sends, outcomes and every observation of a value at an offset. */
        private void index() {
            for (Event event : events) {
                if (event instanceof Event.SendInvoked send) {
                    sends.put(send.value(), send);
                } else if (event instanceof Event.SendAcknowledged ack) {
                    acks.put(ack.value(), ack);
                    observe(ack.partition(), ack.offset(), ack.value(), "ack to " + ack.producer());
                } else if (event instanceof Event.SendFailed failure) {
                    failures.put(failure.value(), failure);
                } else if (event instanceof Event.Polled poll) {
                    hasConsumers = true;
                    for (Read read : poll.records()) {
                        polledRecords++;
                        polledValues.add(read.value());
                        read(read, "poll by " + poll.consumer());
                    }
                } else if (event instanceof Event.Assigned) {
                    hasConsumers = true;
                }
            }
            finalRead.ifPresent(read -> read.records().forEach(record -> {
                finalValues.add(record.value());
                read(record, FINAL_READ);
            }));
        }

        private void read(Read read, String by) {
            observe(read.partition(), read.offset(), read.value(), by);
            readAt.computeIfAbsent(read.value(), v -> new LinkedHashSet<>()).add(new Position(read.partition(), read.offset()));
        }

        private void observe(int partition, long offset, String value, String by) {
            observed.computeIfAbsent(partition, p -> new TreeMap<>()).computeIfAbsent(offset, o -> new LinkedHashMap<>())
                    .computeIfAbsent(value, v -> new LinkedHashSet<>()).add(by);
        }

        /** One value per offset. */
        private void checkOffsets() {
            observed.forEach((partition, offsets) -> offsets.forEach((offset, values) -> {
                if (values.size() > 1) {
                    report(Anomaly.INCONSISTENT_OFFSETS, "partition " + partition + " offset " + offset + " holds " + values.entrySet().stream()
                            .map(e -> e.getKey() + " (" + summarize(e.getValue()) + ")").collect(Collectors.joining(", ")));
                }
            }));
        }

        /** One offset per value, reads where acknowledged, acknowledged values in the final log and polled. */
        private void checkValues() {
            readAt.forEach((value, positions) -> {
                if (positions.size() > 1) {
                    report(Anomaly.DUPLICATE, value + " read at " + positions);
                }
                if (!sends.containsKey(value)) {
                    report(Anomaly.PHANTOM_READ, value + " read at " + positions + " but never sent");
                } else if (isDefiniteFailure(value)) {
                    report(Anomaly.ABORTED_READ, value + " read at " + positions + " but its send failed: " + failures.get(value).error());
                }
            });
            for (Event.SendAcknowledged ack : acks.values()) {
                Position acknowledged = new Position(ack.partition(), ack.offset());
                Set<Position> positions = readAt.getOrDefault(ack.value(), Set.of());
                if (!positions.isEmpty() && !positions.equals(Set.of(acknowledged))) {
                    report(Anomaly.ACKNOWLEDGED_OFFSET_MISMATCH, ack.value() + " acknowledged at " + acknowledged + " but read at " + positions);
                }
                if (finalRead.isPresent() && !finalValues.contains(ack.value())) {
                    report(Anomaly.LOST_WRITE, ack.value() + " acknowledged at " + acknowledged + lostContext(acknowledged, positions));
                } else if (finalRead.isPresent() && hasConsumers && !polledValues.contains(ack.value())) {
                    report(Anomaly.UNSEEN, ack.value() + " acknowledged at " + acknowledged + ", in the final read, never polled");
                }
            }
        }

        private String lostContext(Position acknowledged, Set<Position> readElsewhere) {
            Map<String, Set<String>> there = observed.get(acknowledged.partition()).get(acknowledged.offset());
            List<String> others = there.entrySet().stream().filter(e -> e.getValue().contains(FINAL_READ)).map(Map.Entry::getKey).toList();
            long end = finalRead.map(read -> read.endOffsets().getOrDefault(acknowledged.partition(), -1L)).orElse(-1L);
            return ", missing from the final read (end offset " + end + (others.isEmpty() ? "" : ", which has " + others + " there") + ")"
                    + (readElsewhere.isEmpty() ? "" : "; polled at " + readElsewhere);
        }

        /** Within each continuous assignment, a consumer reads each partition's version order one step at a time. */
        private void checkPolls() {
            Map<Integer, long[]> versionOrders = new HashMap<>();
            observed.forEach((partition, offsets) -> versionOrders.put(partition, offsets.keySet().stream().mapToLong(Long::longValue).toArray()));
            Map<String, Map<Integer, Long>> lastRead = new HashMap<>();
            for (Event event : events) {
                if (event instanceof Event.Assigned assigned) {
                    // A (re)assigned partition starts afresh: the consumer seeks to the committed offset.
                    assigned.partitions().forEach(lastRead.computeIfAbsent(assigned.consumer(), c -> new HashMap<>())::remove);
                } else if (event instanceof Event.Revoked revoked) {
                    revoked.partitions().forEach(lastRead.computeIfAbsent(revoked.consumer(), c -> new HashMap<>())::remove);
                } else if (event instanceof Event.Polled poll) {
                    Map<Integer, Long> last = lastRead.computeIfAbsent(poll.consumer(), c -> new HashMap<>());
                    for (Read read : poll.records()) {
                        Long previous = last.put(read.partition(), read.offset());
                        if (previous != null) {
                            checkStep(poll.consumer(), read.partition(), previous, read.offset(), versionOrders.get(read.partition()));
                        }
                    }
                }
            }
        }

        private void checkStep(String consumer, int partition, long previous, long offset, long[] versionOrder) {
            int delta = Arrays.binarySearch(versionOrder, offset) - Arrays.binarySearch(versionOrder, previous);
            if (delta < 1) {
                report(Anomaly.NONMONOTONIC_POLL, consumer + " read partition " + partition + " offset " + offset + " after offset " + previous);
            } else if (delta > 1) {
                List<String> skipped = new ArrayList<>();
                observed.get(partition).subMap(previous, false, offset, false).forEach((skippedOffset, values) ->
                        skipped.add(skippedOffset + "=" + values.keySet()));
                report(Anomaly.POLL_SKIP, consumer + " read partition " + partition + " offset " + offset + " right after offset " + previous
                        + ", skipping " + (skipped.size() > 5 ? skipped.subList(0, 5) + "... (" + skipped.size() + ")" : skipped));
            }
        }

        /** Each producer's acknowledged offsets rise, per partition, in the order it sent. */
        private void checkSends() {
            Map<String, Map<Integer, Event.SendAcknowledged>> lastAck = new HashMap<>();
            for (Event event : events) {
                if (event instanceof Event.SendInvoked send && acks.containsKey(send.value())) {
                    Event.SendAcknowledged ack = acks.get(send.value());
                    Event.SendAcknowledged previous = lastAck.computeIfAbsent(send.producer(), p -> new HashMap<>()).put(ack.partition(), ack);
                    if (previous != null && ack.offset() <= previous.offset()) {
                        report(Anomaly.NONMONOTONIC_SEND, send.producer() + " sent " + previous.value() + " then " + ack.value() + " to partition "
                                + ack.partition() + ", acknowledged at offsets " + previous.offset() + " then " + ack.offset());
                    }
                }
            }
        }

        private static String summarize(Set<String> observers) {
            return observers.size() <= 3 ? String.join(", ", observers) : String.join(", ", List.copyOf(observers).subList(0, 3)) + ", ...";
        }

        private void report(Anomaly anomaly, String example) {
            counts.merge(anomaly, 1, Integer::sum);
            List<String> list = examples.computeIfAbsent(anomaly, a -> new ArrayList<>());
            if (list.size() < EXAMPLES) {
                list.add(example);
            }
        }
    }
}
