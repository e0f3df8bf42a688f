package io.runnel.testkit.workload;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything a fault test's clients did and saw, for {@link io.runnel.testkit.check.HistoryChecker}: every
 * send attempt and its outcome, every poll, every change of a consumer's assignment, every fault, and
 * at the end the {@link FinalRead}.
 *
 * <p>Thread-safe and cheap: recording is one atomic increment and one lock-free enqueue, from any thread
 * (producer callbacks run on the producer's network thread, polls on the consumer's). {@link #events()}
 * returns a snapshot in index order; call it once recording is over for a complete one.
 */
public final class History {

    private final AtomicLong nextIndex = new AtomicLong();
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private volatile FinalRead finalRead;

    /** Records that {@code producer} is about to send {@code value} to {@code partition}. */
    public void sendInvoked(String producer, int partition, String key, String value) {
        events.add(new Event.SendInvoked(nextIndex.getAndIncrement(), System.nanoTime(), producer, partition, key, value));
    }

    /** Records that {@code value} was acknowledged at {@code offset} of {@code partition}. */
    public void sendAcknowledged(String producer, String value, int partition, long offset) {
        events.add(new Event.SendAcknowledged(nextIndex.getAndIncrement(), System.nanoTime(), producer, value, partition, offset));
    }

    /** Records that the send of {@code value} failed, certainly ({@code definite}) or with an unknown outcome. */
    public void sendFailed(String producer, String value, int partition, String error, boolean definite) {
        events.add(new Event.SendFailed(nextIndex.getAndIncrement(), System.nanoTime(), producer, value, partition, error, definite));
    }

    /** Records a poll that returned {@code records}; an empty poll is not recorded. */
    public void polled(String consumer, List<Read> records) {
        if (!records.isEmpty()) {
            events.add(new Event.Polled(nextIndex.getAndIncrement(), System.nanoTime(), consumer, records));
        }
    }

    /** Records that {@code consumer} was assigned {@code partitions}. */
    public void assigned(String consumer, Set<Integer> partitions) {
        events.add(new Event.Assigned(nextIndex.getAndIncrement(), System.nanoTime(), consumer, partitions));
    }

    /** Records that {@code consumer} gave up {@code partitions} ({@code lost}: without a clean revocation). */
    public void revoked(String consumer, Set<Integer> partitions, boolean lost) {
        events.add(new Event.Revoked(nextIndex.getAndIncrement(), System.nanoTime(), consumer, partitions, lost));
    }

    /**
     * Records a change the test made to the cluster.
     *
     * @param action     e.g. "kill", "pause", "resume", "isolate", "heal", "stop", "restart"
     * @param node       the node, or -1
     * @param partitions the partitions of the topic the node led just before
     * @param fault      true for a fault (failover time is measured from it), false for a repair
     * @return the recorded event
     */
    public Event.Nemesis nemesis(String action, int node, Set<Integer> partitions, boolean fault) {
        Event.Nemesis event = new Event.Nemesis(nextIndex.getAndIncrement(), System.nanoTime(), action, node, partitions, fault);
        events.add(event);
        return event;
    }

    /** Adds an event built elsewhere (tests of the checker build histories by hand); its index must be unused. */
    public void add(Event event) {
        nextIndex.accumulateAndGet(event.index() + 1, Math::max);
        events.add(event);
    }

    /** Records the final read; replaces an earlier one. */
    public void finalRead(FinalRead read) {
        this.finalRead = read;
    }

    /** The final read, if one was recorded. */
    public Optional<FinalRead> finalRead() {
        return Optional.ofNullable(finalRead);
    }

    /** A snapshot of the events recorded so far, in index order. */
    public List<Event> events() {
        List<Event> snapshot = new ArrayList<>(events);
        snapshot.sort(Comparator.comparingLong(Event::index));
        return snapshot;
    }

    /** Writes the history as text, one event per line (then the final read), for reading after a failed run. */
    public void writeTo(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Event event : events()) {
                    out.write(event.toString());
                    out.newLine();
                }
                if (finalRead != null) {
                    out.write("FinalRead[endOffsets=" + finalRead.endOffsets() + ", incomplete=" + finalRead.incompletePartitions() + "]");
                    out.newLine();
                    for (Read read : finalRead.records()) {
                        out.write("  " + read);
                        out.newLine();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the history to " + file, e);
        }
    }
}
