package io.runnel.metadata.node;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecordSerde;
import io.runnel.metadata.node.QuorumMessages.Entry;
import io.runnel.metadata.node.QuorumMessages.FetchAnswer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The recent committed entries a quorum voter keeps, so that brokers that do not vote can fetch the
 * metadata log from it: the entries since the last snapshot restore, up to a bound; a broker that is
 * further behind gets the whole image instead (as Kafka's observers fetch a snapshot). A fetch with
 * nothing new waits up to its maximum wait for the next entry. Thread-safe.
 */
final class MetadataHistory {

    private static final int MAX_ENTRIES = 20_000;
    private static final int MAX_ENTRIES_PER_ANSWER = 1_000;

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private final ScheduledExecutorService timer;
    /** Every entry after this offset is in {@link #entries} (none before it is). */
    private long coveredFrom;

    MetadataHistory(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** An entry was applied. */
    void append(long offset, byte[] batch) {
        List<CompletableFuture<Void>> woken;
        synchronized (this) {
            entries.addLast(new Entry(offset, batch));
            if (entries.size() > MAX_ENTRIES) {
                coveredFrom = entries.removeFirst().offset();
            }
            woken = new ArrayList<>(waiting);
            waiting.clear();
        }
        woken.forEach(waiter -> waiter.complete(null));
    }

    /** The state was replaced by a snapshot at {@code offset}: the history starts over there. */
    synchronized void restart(long offset) {
        entries.clear();
        coveredFrom = offset;
    }

    /** The answer to a fetch from {@code fromOffset}, waiting up to {@code maxWaitMs} if nothing is new. */
    CompletableFuture<FetchAnswer> fetch(long fromOffset, int maxWaitMs, MetadataImageSource image, int leaderId) {
        CompletableFuture<Void> next;
        synchronized (this) {
            FetchAnswer ready = answerNow(fromOffset, image, leaderId);
            if (ready != null || maxWaitMs <= 0) {
                return CompletableFuture.completedFuture(ready != null ? ready : new FetchAnswer(leaderId, List.of(), null));
            }
            next = new CompletableFuture<>();
            waiting.add(next);
        }
        timer.schedule(() -> next.complete(null), maxWaitMs, TimeUnit.MILLISECONDS);
        return next.thenApply(ignored -> {
            synchronized (this) {
                FetchAnswer ready = answerNow(fromOffset, image, leaderId);
                return ready != null ? ready : new FetchAnswer(leaderId, List.of(), null);
            }
        });
    }

    private FetchAnswer answerNow(long fromOffset, MetadataImageSource image, int leaderId) {
        if (fromOffset < coveredFrom) {
            MetadataImage current = image.image();
            return new FetchAnswer(leaderId, List.of(), new Entry(current.offset(), MetadataRecordSerde.serializeBatch(current.asRecords())));
        }
        List<Entry> newer = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.offset() > fromOffset) {
                newer.add(entry);
                if (newer.size() == MAX_ENTRIES_PER_ANSWER) {
                    break;
                }
            }
        }
        return newer.isEmpty() ? null : new FetchAnswer(leaderId, newer, null);
    }

    /** Where the current image comes from, read under the history's lock so it matches the entries. */
    @FunctionalInterface
    interface MetadataImageSource {
        MetadataImage image();
    }
}
