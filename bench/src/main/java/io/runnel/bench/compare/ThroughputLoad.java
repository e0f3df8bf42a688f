package io.runnel.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Unthrottled produce: {@code producers} idempotent producers ({@link Clients#producer}, client
 * defaults, {@code acks=all}), each fed by a thread of its own that calls {@code send()} as fast as
 * the producer's buffer lets it, records of {@code recordSize} random bytes without key (the client's
 * partitioner spreads them). Counts the records acknowledged, so the caller reads throughput over any
 * window of the steady state. Closing it stops the senders and waits for what is buffered.
 */
final class ThroughputLoad implements AutoCloseable {

    private final List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final List<Thread> senders = new ArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile boolean stopping;

    ThroughputLoad(String bootstrap, String topic, int producerCount, int recordSize) {
        byte[] payload = new byte[recordSize];
        new Random(42).nextBytes(payload);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, payload);
        for (int i = 0; i < producerCount; i++) {
            KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, "compare-throughput-" + i, Map.of());
            producers.add(producer);
            senders.add(new Thread(() -> send(producer, record), "compare-throughput-" + i));
        }
    }

    void start() {
        senders.forEach(Thread::start);
    }

    private void send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        try {
            while (!stopping) {
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, error.toString());
                    }
                });
            }
        } catch (RuntimeException e) { // the producer failed fatally or was closed
            firstError.compareAndSet(null, e.toString());
        }
    }

    /** Records acknowledged so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Records whose send failed so far. */
    long failed() {
        return failed.get();
    }

    /** The first error seen, or null. */
    String firstError() {
        return firstError.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread sender : senders) {
            sender.join(60_000);
        }
        for (KafkaProducer<byte[], byte[]> producer : producers) {
            producer.close(Duration.ofSeconds(60));
        }
    }
}
