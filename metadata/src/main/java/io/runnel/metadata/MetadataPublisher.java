package io.runnel.metadata;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's view of the committed metadata: replays each committed entry into a new image and tells the
 * listeners, in log order. The entries come from the node's own metadata log (a node alone, a quorum
 * voter) or are fetched from the quorum (a broker that does not vote). {@link #publish} and
 * {@link #reset} are called by one thread; {@link #image} and {@link #awaitOffset} from any.
 *
 * <p>Listeners run on the publisher's own thread, never on the one that publishes: a broker opening a
 * hundred logs for a new topic must not hold up the quorum's apply thread, or the controller's commits
 * and with them every broker's heartbeats would wait (as Kafka's broker loads metadata on its own event
 * queue). {@link #image} is the newest image at once; {@link #awaitOffset} completes once the listeners
 * have seen it.
 */
public final class MetadataPublisher {

    private static final Logger log = LoggerFactory.getLogger(MetadataPublisher.class);

    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> waiters = new ConcurrentSkipListMap<>();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "runnel-metadata-listeners");
        thread.setDaemon(true);
        return thread;
    });
    private volatile MetadataImage image;
    /** The offset of the last image every listener has seen. */
    private volatile long notifiedOffset;

    /** A publisher starting from {@code initial} (the replay of what the node has stored). */
    public MetadataPublisher(MetadataImage initial) {
        this.image = initial;
        this.notifiedOffset = initial.offset();
    }

    /** The current image. */
    public MetadataImage image() {
        return image;
    }

    /** Registers a listener for every image published from now on. */
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    /** Applies one committed entry at {@code offset} and publishes the result. */
    public synchronized void publish(List<MetadataRecord> records, long offset) {
        change(image.apply(records, offset));
    }

    /** Replaces the image by a snapshot's (installed from the quorum leader, or too far behind to replay). */
    public synchronized void reset(MetadataImage snapshot) {
        change(snapshot);
    }

    /** Completes once the image has reached {@code offset} and the listeners have seen it (at once if they have). */
    public CompletableFuture<Void> awaitOffset(long offset) {
        if (notifiedOffset >= offset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = waiters.computeIfAbsent(offset, o -> new CompletableFuture<>());
        if (notifiedOffset >= offset) {
            completeWaiters(notifiedOffset);
        }
        return waiter;
    }

    private void change(MetadataImage next) {
        MetadataImage previous = image;
        image = next;
        if (!notifier.isShutdown()) {
            notifier.execute(() -> notify(previous, next));
        }
    }

    private void notify(MetadataImage previous, MetadataImage next) {
        for (MetadataListener listener : listeners) {
            try {
                listener.onImage(previous, next);
            } catch (RuntimeException e) {
                // the change is committed: one listener's failure must not keep it from the others
                log.error("Metadata listener {} failed at offset {}", listener, next.offset(), e);
            }
        }
        notifiedOffset = next.offset();
        completeWaiters(next.offset());
    }

    /** Stops telling listeners; images published after this are not announced. */
    public void close() {
        notifier.shutdown();
    }

    private void completeWaiters(long offset) {
        Map<Long, CompletableFuture<Void>> reached = waiters.headMap(offset, true);
        reached.values().forEach(waiter -> waiter.complete(null));
        reached.clear();
    }
}
