package io.runnel.it.support;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;

/** Collects what producer callbacks report: acknowledged records and failures. Thread-safe. */
public final class Acknowledgements {

    private final ConcurrentLinkedQueue<AcknowledgedRecord> acknowledged = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger acknowledgedCount = new AtomicInteger();

    /** A callback that records the outcome of sending {@code key}/{@code value}. */
    public Callback callbackFor(String key, String value) {
        return (metadata, exception) -> {
            if (exception != null) {
                failures.add(exception);
            } else {
                acknowledged.add(new AcknowledgedRecord(metadata.partition(), metadata.offset(), key, value));
                acknowledgedCount.incrementAndGet();
            }
        };
    }

    /** The records acknowledged so far, in callback order. */
    public List<AcknowledgedRecord> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** How many records were acknowledged so far. */
    public int acknowledgedCount() {
        return acknowledgedCount.get();
    }

    /** The send failures reported so far. */
    public List<Exception> failures() {
        return List.copyOf(failures);
    }
}
